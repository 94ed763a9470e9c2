package dev.batchgate.batch;

/**
 * What one item finishing a phase does to its batch: count it, and stop the batch early when
 * fail-fast, a transaction or the failure-percent breaker says so. A rollback never stops anything.
 */
public final class SummaryRules {

    private SummaryRules() {
    }

    /** {@code finishSeq}: the item's place in the finish order, taken when its result was queued for the store (0: none). */
    public static void fold(BatchRun run, ItemResult result, int finishSeq) {
        run.itemFinished(result);
        applyStopRules(run, result);
        run.itemReleased(result, finishSeq);
    }

    private static void applyStopRules(BatchRun run, ItemResult result) {
        PhasePlan.Phase phase = run.phase();
        if (phase == null || phase.kind() == PhasePlan.Kind.ROLLBACK) {
            return;
        }
        BatchSpec spec = run.spec();
        if (result.status() == ItemStatus.FAILED) {
            if (spec.transaction()) {
                run.stop(StopReason.TRANSACTION_ROLLED_BACK);
            } else if (spec.failFast()) {
                run.stop(StopReason.FAIL_FAST);
            }
        }
        if (phase.kind() == PhasePlan.Kind.RUN && spec.maxFailurePercent() != null
                && breakerTripped(run.stages().count(phase.stage(), ItemStatus.SUCCEEDED),
                run.stages().count(phase.stage(), ItemStatus.FAILED), spec.maxFailurePercent(), run.breakerMinFinished())) {
            run.stop(StopReason.MAX_FAILURE_PERCENT);
        }
    }

    /** More than {@code maxPercent} of the finished (not skipped) items failed, once enough have finished. */
    static boolean breakerTripped(int succeeded, int failed, double maxPercent, int minFinished) {
        int finished = succeeded + failed;
        return finished >= minFinished && failed * 100.0 / finished > maxPercent;
    }
}
