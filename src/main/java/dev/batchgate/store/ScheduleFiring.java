package dev.batchgate.store;

/**
 * The last firing of a schedule; {@code batchId} is the batch of the last firing that started one,
 * and the counters count every firing since the schedule was first seen.
 */
public record ScheduleFiring(long firedAt, Outcome outcome, String batchId, String message, int started, int skipped, int failed) {

    public static final ScheduleFiring NEVER = new ScheduleFiring(0, null, null, null, 0, 0, 0);

    public enum Outcome { STARTED, SKIPPED, FAILED }
}
