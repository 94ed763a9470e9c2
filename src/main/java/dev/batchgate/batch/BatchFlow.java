package dev.batchgate.batch;

import dev.batchgate.json.Json;
import dev.batchgate.store.BatchRecord;
import dev.batchgate.store.JobStore;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.store.StoredItem;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans the batch routes call ({@code routes/batch-run.camel.yaml}): start a run, hand out its
 * pending items one exchange each, run and record an item, and finish the run.
 */
public final class BatchFlow {

    public static final String RUN_PROPERTY = "batchgateRun";
    private static final Logger LOG = LoggerFactory.getLogger(BatchFlow.class);
    private static final int PAGE = 500;

    private final JobStore store;
    private final ResultWriter writer;
    private final ItemRunner runner;

    public BatchFlow(JobStore store, ResultWriter writer, ItemRunner runner) {
        this.store = store;
        this.writer = writer;
        this.runner = runner;
    }

    public void start(Exchange exchange) {
        BatchRun run = exchange.getProperty(RUN_PROPERTY, BatchRun.class);
        Instant now = Instant.now();
        run.markStarted(now);
        store.markStarted(run.id(), now.toEpochMilli());
        if (run.spec().deadline() != null) {
            Instant deadline = (run.startedAt() == null ? now : run.startedAt()).plus(run.spec().deadline());
            long delay = Math.max(0, deadline.toEpochMilli() - now.toEpochMilli());
            java.util.concurrent.CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(() -> run.stop(StopReason.DEADLINE));
        }
        LOG.info("batch {} started: target={} operation={} items={} trigger={}", run.id(), run.spec().target(),
                run.spec().operationLabel(), run.total(), run.spec().trigger());
    }

    /**
     * The split's source: pending items read from the store a page at a time. {@code next()} waits for a
     * place in flight; {@code hasNext()} never waits, because the split asks it on the thread that will
     * then run the item just handed out.
     */
    public Iterator<BatchItem> pendingItems(Exchange exchange) {
        BatchRun run = exchange.getProperty(RUN_PROPERTY, BatchRun.class);
        return new Iterator<>() {
            private final ArrayDeque<BatchItem> page = new ArrayDeque<>();
            private int after = -1;
            private boolean exhausted;
            private BatchItem next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (run.isStopping()) {
                    return false;
                }
                if (page.isEmpty() && !exhausted) {
                    List<StoredItem> rows = store.itemsWithStatus(run.id(), List.of(ItemStatus.PENDING.wire()), after, PAGE);
                    exhausted = rows.size() < PAGE;
                    for (StoredItem row : rows) {
                        page.add(new BatchItem(row.index(), Json.read(row.idJson()),
                                row.paramsJson() == null ? null : (ObjectNode) Json.read(row.paramsJson())));
                        after = row.index();
                    }
                }
                next = page.poll();
                return next != null;
            }

            @Override
            public BatchItem next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                BatchItem item = next;
                next = null;
                // an item promised by hasNext() is handed out even if the batch stopped meanwhile: it ends cancelled at once
                run.enterItem();
                return item;
            }
        };
    }

    public ItemResult runItem(Exchange exchange) {
        BatchRun run = exchange.getProperty(RUN_PROPERTY, BatchRun.class);
        return runner.run(run, exchange.getMessage().getBody(BatchItem.class));
    }

    /** Queues the result for the store; the writer commits results in batches. */
    public void saveResult(Exchange exchange) {
        BatchRun run = exchange.getProperty(RUN_PROPERTY, BatchRun.class);
        ItemResult result = exchange.getMessage().getBody(ItemResult.class);
        if (run.stopReason() == StopReason.SHUTDOWN && result.status() == ItemStatus.CANCELLED) {
            return; // stays pending: it runs when the batch resumes
        }
        writer.write(new JobStore.ResultRow(run.id(), result.index(), result.status().wire(), result.toJson().toString()));
    }

    /** An item whose processing threw is a failed item, never a failed batch. */
    public ItemResult unexpectedFailure(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        BatchItem item = exchange.getMessage().getBody(BatchItem.class);
        LOG.warn("item {} failed unexpectedly: {}", item == null ? "?" : item.key(), e == null ? "?" : e.toString());
        return new ItemResult(item.index(), item.id(), ItemStatus.FAILED, null, 0, 0,
                "internal error: " + (e == null ? "unknown" : e.getClass().getSimpleName()), null, null);
    }

    public void finish(Exchange exchange) {
        BatchRun run = exchange.getProperty(RUN_PROPERTY, BatchRun.class);
        writer.flush();
        StopReason reason = run.stopReason();
        if (reason == StopReason.SHUTDOWN) {
            LOG.info("batch {} paused for shutdown after {} of {} items; it resumes on the next start", run.id(),
                    run.finishedCount(), run.total());
            return;
        }
        if (reason != null) {
            int n = store.markRemaining(run.id(), List.of(ItemStatus.PENDING.wire()), ItemStatus.CANCELLED.wire());
            run.settleRemaining(ItemStatus.CANCELLED, n);
        }
        BatchStatus status = reason == null ? BatchStatus.COMPLETED
                : reason == StopReason.CANCELLED ? BatchStatus.CANCELLED : BatchStatus.FAILED;
        Instant now = Instant.now();
        ObjectNode extra;
        synchronized (run.extra()) {
            extra = run.extra().isEmpty() ? null : run.extra().deepCopy();
        }
        store.finishBatch(run.id(), status.wire(), reason == null || reason == StopReason.CANCELLED ? null : reason.wire(),
                new BatchRecord.Counts(run.count(ItemStatus.SUCCEEDED), run.count(ItemStatus.FAILED), run.count(ItemStatus.SKIPPED),
                        run.count(ItemStatus.CANCELLED), run.count(ItemStatus.ROLLED_BACK), run.count(ItemStatus.ROLLBACK_FAILED)),
                now.toEpochMilli(), extra);
        run.markFinished(status, now);
        LOG.info("batch {} {}{}: target={} operation={} total={} succeeded={} failed={} skipped={} cancelled={} durationMs={}",
                run.id(), status.wire(), reason == null || reason == StopReason.CANCELLED ? "" : " (" + reason.wire() + ")",
                run.spec().target(), run.spec().operationLabel(), run.total(), run.count(ItemStatus.SUCCEEDED),
                run.count(ItemStatus.FAILED), run.count(ItemStatus.SKIPPED), run.count(ItemStatus.CANCELLED),
                run.startedAt() == null ? 0 : now.toEpochMilli() - run.startedAt().toEpochMilli());
    }
}
