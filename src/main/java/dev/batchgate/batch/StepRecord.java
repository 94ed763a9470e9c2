package dev.batchgate.batch;

/**
 * What one operation did for an item: a step of a composite or a chain, or a call of its rollback.
 *
 * @param rollbackOf the operation this one rolled back, or null for a step
 * @param await      the timings when the operation was awaited and its call went through, else null
 */
public record StepRecord(String operation, String rollbackOf, ItemStatus status, Integer httpStatus, int attempts,
        long durationMs, String error, AwaitTiming await) {

    /** The change went through: the step succeeded, or its call did and only the await did not. */
    public boolean applied() {
        return status == ItemStatus.SUCCEEDED || await != null;
    }
}
