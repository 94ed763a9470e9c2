package dev.batchgate.batch;

/**
 * What one finished item does to its batch: count it, and stop the batch early when fail-fast or
 * the failure-percent breaker says so.
 */
public final class SummaryRules {

    private SummaryRules() {
    }

    public static void fold(BatchRun run, ItemResult result) {
        run.itemFinished(result);
        stopIfNeeded(run, result);
        // only now may the next item start: it must see a stop this item caused
        run.itemLeft(result);
    }

    private static void stopIfNeeded(BatchRun run, ItemResult result) {
        BatchSpec spec = run.spec();
        if (result.status() == ItemStatus.FAILED) {
            if (spec.transaction()) {
                run.stop(StopReason.TRANSACTION_ROLLED_BACK);
            } else if (spec.failFast()) {
                run.stop(StopReason.FAIL_FAST);
            }
        }
        if (spec.maxFailurePercent() != null && breakerTripped(run.count(ItemStatus.SUCCEEDED),
                run.count(ItemStatus.FAILED), spec.maxFailurePercent(), run.breakerMinFinished())) {
            run.stop(StopReason.MAX_FAILURE_PERCENT);
        }
    }

    /** More than {@code maxPercent} of the finished (not skipped) items failed, once enough have finished. */
    static boolean breakerTripped(int succeeded, int failed, double maxPercent, int minFinished) {
        int finished = succeeded + failed;
        return finished >= minFinished && failed * 100.0 / finished > maxPercent;
    }
}
