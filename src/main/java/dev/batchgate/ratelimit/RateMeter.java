package dev.batchgate.ratelimit;

import java.util.concurrent.TimeUnit;

/** Counts events in one-second buckets to report the rate over the last minute. Not thread-safe. */
final class RateMeter {

    private static final int BUCKETS = 60;
    private final long[] counts = new long[BUCKETS];
    private final long[] seconds = new long[BUCKETS];

    void record(long nanoTime) {
        long second = TimeUnit.NANOSECONDS.toSeconds(nanoTime);
        int slot = (int) Math.floorMod(second, BUCKETS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    long perMinute(long nanoTime) {
        long now = TimeUnit.NANOSECONDS.toSeconds(nanoTime);
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (now - seconds[i] < BUCKETS) {
                total += counts[i];
            }
        }
        return total;
    }
}
