package dev.batchgate.ratelimit;

import java.time.Duration;

/**
 * A target's starts as the nodes of a cluster share them: one row per target holds its next allowed
 * start on the database's clock (GCRA: {@code next = greatest(next, now, paused until) + interval}).
 * A node reserves a few starts at a time; a start it does not use only under-uses the limit.
 */
public interface SharedRate {

    /**
     * Reserves {@code n} starts {@code interval} apart; returns how long from now the first one is (the
     * others follow it at {@code interval}).
     */
    Duration reserve(String target, int n, Duration interval);

    /** Nobody, on any node, starts a call to {@code target} before {@code retryAfter} from now (a 429). */
    void pause(String target, Duration retryAfter);
}
