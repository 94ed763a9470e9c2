package dev.batchgate.batch;

/**
 * What one item finishing a phase does to its batch ({@link #record}): it is counted, then the stop
 * rules see it: fail-fast, a transaction or the failure-percent breaker stop the batch early. A
 * rollback never stops anything.
 */
public final class SummaryRules {

    private SummaryRules() {
    }

    /**
     * Counts the item's outcome into the batch's live summary and stops the batch when it trips
     * fail-fast, a transaction or the breaker. One step under the run's lock: no other item's outcome
     * comes between the count and the rules that read it, so the stop reason is this item's (a
     * transaction's first failure stops it as a rollback, not as a tripped breaker) and the breaker
     * reads its two counts at one moment.
     */
    public static void record(BatchRun run, ItemResult result) {
        synchronized (run) {
            run.itemFinished(result);
            applyStopRules(run, result);
        }
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
