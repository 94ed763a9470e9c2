package dev.batchgate.batch;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch split's executor: runs each task on the thread that submits it, and a task submitted
 * while another runs on that thread right after it (a queue, not a deeper stack). So the batch's own
 * thread takes the items from the store and starts them one after the other, waiting only for room
 * in flight. Starting an item does not block (a plain call is asynchronous; other items move to the
 * item executor), and handing every item to a pooled thread cost two thread wake-ups per item.
 */
public final class CallerRunsExecutor extends AbstractExecutorService {

    private static final Logger LOG = LoggerFactory.getLogger(CallerRunsExecutor.class);

    private final Trampoline trampoline = new Trampoline();
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable task) {
        trampoline.run(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("a batch split task failed: {}", e.toString(), e);
            }
        });
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
