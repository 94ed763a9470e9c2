package dev.batchgate.batch;

import dev.batchgate.target.CallOutcome;

/** Hears of every downstream attempt an item makes (for metrics); must be quick and must not throw. */
public interface CallObserver {

    CallObserver NONE = new CallObserver() {
    };

    /** A permit of the limiter of {@code target} was granted after waiting {@code waitedNanos}. */
    default void permitGranted(String target, long waitedNanos) {
    }

    /** One attempt on {@code target} (a call, a check or an await poll) ended with {@code outcome} after {@code nanos}. */
    default void called(String target, CallOutcome outcome, long nanos) {
    }
}
