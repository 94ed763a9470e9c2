package dev.batchgate.facade.llm;

import java.time.Duration;

/**
 * A batch's concurrency when the request gives none: enough calls in flight to keep the pool's
 * summed rpm busy at the observed latency (rpm / 60 × latency, Little's law), plus one ready call
 * per model because several models can come free at the same instant, capped by
 * {@code batchgate.llm.max-concurrency}. Before any call has been timed it is the cap. The limiter,
 * not this number, keeps each model within its rpm.
 */
public final class AutoConcurrency {

    /** Weight of the newest sample in the moving average of latencies. */
    private static final double SMOOTHING = 0.2;

    private final int summedRpm;
    private final int models;
    private final int max;
    private double averageLatencyMs = Double.NaN;

    public AutoConcurrency(int summedRpm, int models, int max) {
        this.summedRpm = summedRpm;
        this.models = models;
        this.max = max;
    }

    /** The formula on its own. */
    public static int plan(int summedRpm, int models, Duration latency, int max) {
        if (latency == null) {
            return max;
        }
        double busy = summedRpm / 60.0 * latency.toMillis() / 1000.0;
        return (int) Math.max(1, Math.min(max, Math.ceil(busy) + models));
    }

    /** Records the latency of one answered call. */
    public synchronized void observe(Duration latency) {
        double ms = latency.toMillis();
        averageLatencyMs = Double.isNaN(averageLatencyMs) ? ms : averageLatencyMs + SMOOTHING * (ms - averageLatencyMs);
    }

    /** The moving average of call latencies, null before the first answer. */
    public synchronized Duration observedLatency() {
        return Double.isNaN(averageLatencyMs) ? null : Duration.ofMillis(Math.round(averageLatencyMs));
    }

    public int concurrency() {
        return plan(summedRpm, models, observedLatency(), max);
    }

    public int max() {
        return max;
    }
}
