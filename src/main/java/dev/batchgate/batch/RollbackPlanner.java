package dev.batchgate.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decides from an item's stored result what a transaction's rollback must undo: every operation
 * whose changing call succeeded (an awaited one too, even when it never settled), last first.
 * Reading it from the stored result makes the rollback phase resumable: an item already rolled back
 * carries its {@code rollback} record and is not called again.
 */
public final class RollbackPlanner {

    public enum Kind { NOTHING, UNDO, ALREADY_UNDONE, ALREADY_FAILED }

    /** What to do with one item; {@code undo} lists the operations to roll back, in the order to do it. */
    public record Decision(Kind kind, List<String> undo) {
    }

    private RollbackPlanner() {
    }

    /**
     * @param status           the item's stored status
     * @param result           its stored result, or null
     * @param singleOperation  the operation of a batch whose results carry no {@code steps}
     */
    public static Decision decide(ItemStatus status, ItemResult result, String singleOperation) {
        if (status == ItemStatus.ROLLED_BACK) {
            return new Decision(Kind.ALREADY_UNDONE, List.of());
        }
        if (status == ItemStatus.ROLLBACK_FAILED) {
            return new Decision(Kind.ALREADY_FAILED, List.of());
        }
        ItemResult.Details details = result == null ? ItemResult.Details.NONE : result.details();
        if (details.rollback() != null) {
            boolean failed = details.rollback().stream().anyMatch(step -> step.status() != ItemStatus.SUCCEEDED);
            return new Decision(failed ? Kind.ALREADY_FAILED : Kind.ALREADY_UNDONE, List.of());
        }
        if (status != ItemStatus.SUCCEEDED && status != ItemStatus.FAILED && status != ItemStatus.CANCELLED) {
            return new Decision(Kind.NOTHING, List.of());
        }
        List<String> applied = new ArrayList<>();
        if (details.steps() != null) {
            for (StepRecord step : details.steps()) {
                if (step.applied()) {
                    applied.add(step.operation());
                }
            }
        } else if (singleOperation != null && (status == ItemStatus.SUCCEEDED || details.await() != null)) {
            // the call went through: it succeeded, or only its await did not
            applied.add(singleOperation);
        }
        Collections.reverse(applied);
        return new Decision(applied.isEmpty() ? Kind.NOTHING : Kind.UNDO, List.copyOf(applied));
    }

    /** The item after its rollback: a failed item stays failed (it is why the batch rolled back). */
    public static ItemStatus statusAfter(ItemStatus before, boolean undone) {
        if (!undone) {
            return ItemStatus.ROLLBACK_FAILED;
        }
        return before == ItemStatus.FAILED ? ItemStatus.FAILED : ItemStatus.ROLLED_BACK;
    }
}
