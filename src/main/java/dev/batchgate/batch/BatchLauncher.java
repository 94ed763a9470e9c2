package dev.batchgate.batch;

import dev.batchgate.concurrent.DaemonThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * Hands each batch the engine launches to the {@code direct:batch-run} route, on a thread of its own
 * (the route runs the batch to its end). Made once the routes are started, so a batch resumed after a
 * restart never reaches a route that is not up.
 */
public final class BatchLauncher implements Consumer<BatchRun> {

    private static final String BATCH_RUN = "direct:batch-run";

    private final ProducerTemplate producer;
    private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.numbered("batch-"));

    public BatchLauncher(CamelContext context) {
        this.producer = context.createProducerTemplate();
    }

    @Override
    public void accept(BatchRun run) {
        threads.execute(() -> {
            try {
                producer.send(BATCH_RUN, exchange -> exchange.setProperty(BatchFlow.RUN_PROPERTY, run));
            } finally {
                run.flowReturned();
            }
        });
    }
}
