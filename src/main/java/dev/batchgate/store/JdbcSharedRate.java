package dev.batchgate.store;

import dev.batchgate.ratelimit.SharedRate;
import java.time.Duration;

/**
 * The targets' shared starts in {@code target_rates} (migration V10), on PostgreSQL: one statement
 * reserves, on the database's clock. {@code clock_timestamp()}, not the statement's start: a reservation
 * that waited for another node's on the row counts from when it got the row, and the time it answers is
 * counted from when it returns, as the caller counts it.
 */
final class JdbcSharedRate implements SharedRate {

    private static final String MICROS = " * INTERVAL '1 microsecond'";

    private final Jdbc jdbc;

    JdbcSharedRate(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Duration reserve(String target, int n, Duration interval) {
        long span = n * (interval.toNanos() / 1000);
        long untilNext = jdbc.query("INSERT INTO target_rates AS r (target, next_start) VALUES (?, clock_timestamp() + ?" + MICROS
                + ") ON CONFLICT (target) DO UPDATE SET next_start = GREATEST(r.next_start, clock_timestamp(), r.paused_until) + ?"
                + MICROS + " RETURNING (EXTRACT(EPOCH FROM (r.next_start - clock_timestamp())) * 1000000)::bigint", ps -> {
                    ps.setString(1, target);
                    ps.setLong(2, span);
                    ps.setLong(3, span);
                }, rs -> rs.getLong(1)).get(0);
        return Duration.ofNanos((untilNext - span) * 1000);
    }

    @Override
    public void pause(String target, Duration retryAfter) {
        jdbc.update("INSERT INTO target_rates AS r (target, next_start, paused_until) VALUES (?, clock_timestamp(), "
                + "clock_timestamp() + ?" + MICROS + ") ON CONFLICT (target) DO UPDATE SET paused_until = "
                + "GREATEST(r.paused_until, EXCLUDED.paused_until)", ps -> {
                    ps.setString(1, target);
                    ps.setLong(2, retryAfter.toNanos() / 1000);
                });
    }
}
