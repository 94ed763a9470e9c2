package dev.batchgate.batch;

import dev.batchgate.target.CallOutcome;

/** The calls made for one request of one item, and how they ended. */
public record Attempts(ItemStatus status, CallOutcome outcome, int attempts, long durationMs) {

    public String error() {
        if (status == ItemStatus.SUCCEEDED) {
            return null;
        }
        if (status == ItemStatus.CANCELLED) {
            return outcome == null ? null : "cancelled before retrying: " + outcome.error();
        }
        return outcome.error();
    }
}
