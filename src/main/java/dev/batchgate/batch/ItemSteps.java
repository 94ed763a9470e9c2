package dev.batchgate.batch;

import dev.batchgate.security.SecretMasker;
import dev.batchgate.store.JobStore;
import dev.batchgate.store.ResultColumn;
import dev.batchgate.store.ResultWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The steps of the item-run route ({@code routes/batch-run.camel.yaml}), asynchronous: an item whose
 * call is in flight holds no thread. A thread per item in flight, parked until its answer came, cost
 * more CPU on Java 17 than the rest of the item. A plain call's answer arrives on the HTTP client's
 * event loop, which then records the item; anything that may wait (a full result queue, a retry, a
 * check, an await, a procedure) runs on {@code blocking} instead.
 */
public final class ItemSteps {

    private final ItemRunner runner;
    private final ResultWriter writer;
    private final Executor blocking;

    public ItemSteps(ItemRunner runner, ResultWriter writer, Executor blocking) {
        this.runner = runner;
        this.writer = writer;
        this.blocking = blocking;
    }

    /** {@code item-call}: the current phase for one item, which holds a call slot; the body becomes its {@link ItemResult}. */
    public AsyncProcessor call() {
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                BatchRun run = runOf(exchange);
                WorkItem work = exchange.getMessage().getBody(WorkItem.class);
                CompletableFuture<ItemResult> result = startItem(run, work);
                if (result.isDone()) {
                    setResult(exchange, result);
                    callback.done(true);
                    return true;
                }
                result.whenComplete((r, e) -> {
                    setResult(exchange, result);
                    callback.done(false);
                });
                return false;
            }
        };
    }

    /** Runs the item, which holds a call slot ({@code item-slot}) until {@code item-release}. */
    private CompletableFuture<ItemResult> startItem(BatchRun run, WorkItem work) {
        try {
            run.itemStarted(work.from());
            return runner.runAsync(run, work, blocking);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@code item-save}: queues the result for the store (the writer commits results in batches) at the
     * next place in the batch's finish order, which the item's progress event carries. A passed check
     * leaves nothing to store; an item cut short by a shutdown gets no result: it stays pending and runs
     * again after the restart.
     */
    public AsyncProcessor save() {
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                if (Progress.reached(exchange, Progress.SAVED)) {
                    callback.done(true);
                    return true;
                }
                BatchRun run = runOf(exchange);
                JobStore.ResultRow row = resultRow(run, exchange.getMessage().getBody(ItemResult.class));
                exchange.setProperty(BatchFlow.FINISH_SEQ_PROPERTY, row == null ? 0 : row.finishSeq());
                if (row == null || writer.tryWrite(row)) {
                    Progress.mark(exchange, Progress.SAVED);
                    callback.done(true);
                    return true;
                }
                blocking.execute(() -> {
                    try {
                        writer.write(row);
                        Progress.mark(exchange, Progress.SAVED);
                    } catch (RuntimeException e) {
                        run.finishSeqUnused(row.finishSeq());
                        exchange.setProperty(BatchFlow.FINISH_SEQ_PROPERTY, 0);
                        exchange.setException(e);
                    }
                    callback.done(false);
                });
                return false;
            }
        };
    }

    /**
     * {@code item-fold}: counts the item's outcome into its batch's live summary, and fail-fast, a
     * transaction's first failure and the breaker see it ({@link SummaryRules#record}).
     */
    public Processor fold() {
        return exchange -> {
            BatchRun run = runOf(exchange);
            ItemResult result = exchange.getMessage().getBody(ItemResult.class);
            if (run != null && result != null && Progress.reach(exchange, Progress.FOLDED)) {
                SummaryRules.record(run, result);
            }
        };
    }

    private static JobStore.ResultRow resultRow(BatchRun run, ItemResult result) {
        if (result.status() == ItemStatus.CANCELLED && run.isShuttingDown()) {
            return null;
        }
        PhasePlan.Phase phase = run.phase();
        if (!phase.storesResult(result.status())) {
            return null;
        }
        ItemStatus after = phase.statusAfter(result.status());
        int stage = phase.stageAfter(result.status());
        ItemResult stored = after == result.status() ? result : result.withStatus(after, result.error());
        // a downstream may echo a token back in its answer or error: none is stored (or shown) as it is
        String json = SecretMasker.mask(ResultColumn.write(stored));
        return new JobStore.ResultRow(run.id(), result.index(), after, json, stage == phase.stage() ? null : stage,
                run.nextFinishSeq());
    }

    private static void setResult(Exchange exchange, CompletableFuture<ItemResult> result) {
        try {
            exchange.getMessage().setBody(result.join());
        } catch (CompletionException e) {
            exchange.setException(e.getCause());
        }
    }

    private static BatchRun runOf(Exchange exchange) {
        return exchange.getProperty(BatchFlow.RUN_PROPERTY, BatchRun.class);
    }

    /**
     * How far an item got through the steps after its call ({@code item-save}, {@code item-fold},
     * {@code item-release}), kept on its exchange. The error handler runs the same steps for an item
     * whose processing threw and skips those already done, so an item is never stored, counted or given
     * back twice, and its call slot always goes back. A result is saved once it is queued for the store;
     * a fold or a release counts as done once it began (it may have done half before it threw).
     */
    enum Progress {
        SAVED, FOLDED, RELEASED;

        private static final String PROPERTY = "batchgateItemProgress";

        static boolean reached(Exchange exchange, Progress step) {
            Progress done = exchange.getProperty(PROPERTY, Progress.class);
            return done != null && done.compareTo(step) >= 0;
        }

        static void mark(Exchange exchange, Progress step) {
            exchange.setProperty(PROPERTY, step);
        }

        /** Marks {@code step} reached; false when it already was. */
        static boolean reach(Exchange exchange, Progress step) {
            if (reached(exchange, step)) {
                return false;
            }
            mark(exchange, step);
            return true;
        }
    }
}
