package dev.batchgate.store;

import dev.batchgate.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes finished batches (with their items) older than {@code batchgate.retention} and
 * idempotency keys past their 24 h, at start-up and then every {@code batchgate.retention-interval}.
 * Batches still pending or running are never removed.
 */
public final class Retention implements AutoCloseable {

    public static final Duration IDEMPOTENCY_KEY_LIFETIME = Duration.ofHours(24);
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final JobStore store;
    private final Duration retention;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("retention"));

    public Retention(JobStore store, Duration retention, Duration interval) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("batchgate.retention must be positive, got " + retention);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("batchgate.retention-interval must be positive, got " + interval);
        }
        this.store = store;
        this.retention = retention;
        timer.scheduleWithFixedDelay(this::removeExpired, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One sweep; a failing store is logged and tried again at the next interval. */
    void removeExpired() {
        try {
            long now = System.currentTimeMillis();
            int batches = store.deleteFinishedBefore(now - retention.toMillis());
            int keys = store.deleteIdempotencyKeysBefore(now - IDEMPOTENCY_KEY_LIFETIME.toMillis());
            if (batches > 0 || keys > 0) {
                LOG.info("retention: removed {} batches finished more than {} ago and {} expired idempotency keys",
                        batches, retention, keys);
            }
        } catch (RuntimeException e) {
            LOG.warn("retention sweep failed, trying again later: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
