package dev.batchgate.batch;

import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs first when Camel stops (SIGTERM, Ctrl-C, {@code Main.stop()}): before Camel waits for the
 * batch routes' exchanges, every batch is told to stop starting items; calls in flight get up to
 * {@code batchgate.shutdown-timeout} to finish and have their results written. Calls still open
 * after that are cut off ({@code abortCalls}); their items, like every item not started, stay
 * pending and run after the next start.
 */
public final class GracefulShutdown extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final Duration AFTER_ABORT = Duration.ofSeconds(5);

    private final BatchEngine engine;
    private final Runnable abortCalls;
    private final Duration timeout;

    public GracefulShutdown(BatchEngine engine, Runnable abortCalls, Duration timeout) {
        this.engine = engine;
        this.abortCalls = abortCalls;
        this.timeout = timeout;
    }

    @Override
    public void onContextStopping(CamelContext context) {
        int live = engine.liveRuns().size();
        if (live > 0) {
            LOG.info("shutting down: {} running batches stop starting items; calls in flight get up to {} ms to finish",
                    live, timeout.toMillis());
        }
        List<BatchRun> busy = engine.pauseAllForShutdown(timeout);
        if (!busy.isEmpty()) {
            LOG.warn("shutting down: calls of {} batches still in flight after {} ms are cut off; their items run again "
                    + "after the next start", busy.size(), timeout.toMillis());
            abortCalls.run();
            BatchEngine.awaitExit(busy, AFTER_ABORT);
        }
    }
}
