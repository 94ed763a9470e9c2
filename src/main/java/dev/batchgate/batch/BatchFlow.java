package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.store.BatchRecord;
import dev.batchgate.store.JobStore;
import dev.batchgate.store.ResultColumn;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.store.StoredItem;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans the batch routes call ({@code routes/batch-run.camel.yaml}): start a run, enter its
 * phases one after another (checks, stages, rollback: {@link PhasePlan}), read the items of the
 * current phase from the store, and finish the run (an item's own steps are {@link ItemSteps}, its
 * bound in flight {@link ItemSlots}).
 */
public final class BatchFlow {

    public static final String RUN_PROPERTY = "batchgateRun";
    /** The item's place in its batch's finish order, set when its result is queued for the store. */
    public static final String FINISH_SEQ_PROPERTY = "batchgateFinishSeq";
    /** The phase the run is in, for the phase loop to read; absent once the batch has none left (or is shutting down). */
    public static final String PHASE_PROPERTY = "batchgatePhase";
    private static final Logger LOG = LoggerFactory.getLogger(BatchFlow.class);
    private static final int PAGE = 500;
    private static final List<ItemStatus> ROLLBACK_CANDIDATES = List.of(ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.CANCELLED);
    private static final List<ItemStatus> ROLLBACK_SCAN = List.of(ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.CANCELLED,
            ItemStatus.ROLLED_BACK, ItemStatus.ROLLBACK_FAILED);

    private final JobStore store;
    private final ResultWriter writer;

    public BatchFlow(JobStore store, ResultWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    public void start(Exchange exchange) {
        BatchRun run = runOf(exchange);
        Instant now = Instant.now();
        run.markStarted(now);
        store.markStarted(run.id(), now.toEpochMilli());
        if (run.spec().deadline() != null) {
            Instant deadline = (run.startedAt() == null ? now : run.startedAt()).plus(run.spec().deadline());
            long delay = Math.max(0, deadline.toEpochMilli() - now.toEpochMilli());
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> run.stop(StopReason.DEADLINE));
        }
        LOG.info("batch {} started: target={} operation={} items={} trigger={}", run.id(), run.spec().target(),
                run.spec().operationLabel(), run.total(), run.spec().trigger());
    }

    /**
     * Enters the batch's next phase and sets it as {@link #PHASE_PROPERTY}, or removes that property
     * when the batch has none left (or is shutting down). The results of the phase just done are in
     * the store first, since the next phase reads its items from there.
     */
    public void enterNextPhase(Exchange exchange) {
        PhasePlan.Phase entered = nextPhase(runOf(exchange));
        if (entered == null) {
            exchange.removeProperty(PHASE_PROPERTY);
        } else {
            exchange.setProperty(PHASE_PROPERTY, entered);
        }
    }

    private PhasePlan.Phase nextPhase(BatchRun run) {
        writer.flush();
        if (run.isShuttingDown()) {
            return null;
        }
        PhasePlan.Phase done = run.phase();
        PhasePlan.Next next = done == null ? run.plan().first(run.resumePhase())
                : run.plan().next(done, run.stopReason() != null, run.stages().count(done.stage(), ItemStatus.FAILED));
        if (next.stop() != null) {
            run.stop(next.stop());
        }
        if (next.phase() == null) {
            return null;
        }
        if (next.phase().kind() == PhasePlan.Kind.ROLLBACK) {
            beginRollback(run, next.phase());
        } else {
            store.enterPhase(run.id(), next.phase().storedName(), null, null);
            run.beginPhase(next.phase());
        }
        if (run.plan().phasesPerItem() > 1 || next.phase().kind() == PhasePlan.Kind.ROLLBACK) {
            LOG.info("batch {} phase {}{}", run.id(), next.phase().storedName(),
                    next.phase().kind() == PhasePlan.Kind.RUN && run.plan().isChain() ? " stage " + (next.phase().stage() + 1) : "");
        }
        return next.phase();
    }

    /**
     * Items never started are cancelled first (a chain's items between stages carry what they did
     * into the rollback); then one scan counts what is to undo and what a run before a restart did.
     */
    private void beginRollback(BatchRun run, PhasePlan.Phase rollback) {
        cancelPending(run);
        store.enterPhase(run.id(), rollback.storedName(), run.stopReason().wire(), run.plan().isChain() ? run.sections() : null);
        run.beginPhase(rollback);
        int[] tally = new int[3];
        scan(run.id(), ROLLBACK_SCAN, row -> {
            RollbackPlanner.Decision decision = decide(run, row.status(), ResultColumn.read(row.index(), row.resultJson()));
            switch (decision.kind()) {
                case UNDO -> tally[0]++;
                case ALREADY_UNDONE -> tally[1]++;
                case ALREADY_FAILED -> tally[2]++;
                case NOTHING -> {
                }
            }
        });
        run.rollbackPlanned(tally[0], tally[1], tally[2]);
    }

    /** The items of the current phase, read from the store a page at a time as the split asks ({@link ItemSlots#admit} bounds how far). */
    public Iterator<WorkItem> phaseItems(Exchange exchange) {
        BatchRun run = runOf(exchange);
        PhasePlan.Phase phase = run.phase();
        return new Iterator<>() {
            private final ArrayDeque<WorkItem> page = new ArrayDeque<>();
            private int after = -1;
            private boolean exhausted;
            private WorkItem next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                while (page.isEmpty() && !exhausted) {
                    List<StoredItem> rows = phase.kind() == PhasePlan.Kind.ROLLBACK
                            ? store.itemsWithStatus(run.id(), ROLLBACK_CANDIDATES, after, PAGE)
                            : store.itemsAtStage(run.id(), ItemStatus.PENDING, phase.stage(), after, PAGE);
                    exhausted = rows.size() < PAGE;
                    for (StoredItem row : rows) {
                        after = row.index();
                        WorkItem work = workItem(run, phase, row);
                        if (work != null) {
                            page.add(work);
                        }
                    }
                }
                if (page.isEmpty()) {
                    return false;
                }
                next = page.poll();
                return true;
            }

            @Override
            public WorkItem next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                WorkItem item = next;
                next = null;
                return item;
            }
        };
    }

    private static WorkItem workItem(BatchRun run, PhasePlan.Phase phase, StoredItem row) {
        BatchItem item = ItemRows.item(row);
        ItemResult previous = ResultColumn.read(row.index(), row.resultJson());
        if (phase.kind() != PhasePlan.Kind.ROLLBACK) {
            return WorkItem.pending(item, previous);
        }
        RollbackPlanner.Decision decision = decide(run, row.status(), previous);
        return decision.kind() == RollbackPlanner.Kind.UNDO
                ? new WorkItem(item, row.status(), previous, decision.undo()) : null;
    }

    private static RollbackPlanner.Decision decide(BatchRun run, ItemStatus status, ItemResult stored) {
        List<String> operations = run.plan().stage(0).operations();
        return RollbackPlanner.decide(status, stored,
                run.plan().isChain() || operations.size() != 1 ? null : operations.get(0));
    }

    /**
     * An item whose processing threw is a failed item (a failed rollback in the rollback phase), never
     * a failed batch; the body becomes that outcome. An item whose result the store already has keeps
     * it: only the steps after its save were cut short.
     */
    public ItemResult unexpectedFailure(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Object body = exchange.getMessage().getBody();
        ItemResult called = body instanceof ItemResult r ? r : null;
        int index = called != null ? called.index() : ((WorkItem) body).item().index();
        JsonNode id = called != null ? called.id() : ((WorkItem) body).item().id();
        LOG.warn("batch {} item {} failed unexpectedly: {}", runOf(exchange).id(), id.asText(), e == null ? "?" : e.toString());
        if (called != null && ItemSteps.Progress.reached(exchange, ItemSteps.Progress.SAVED)) {
            return called;
        }
        boolean rollingBack = runOf(exchange).phase().kind() == PhasePlan.Kind.ROLLBACK;
        return new ItemResult(index, id, rollingBack ? ItemStatus.ROLLBACK_FAILED : ItemStatus.FAILED, null, 0, 0,
                "internal error" + (rollingBack ? " during rollback: " : ": ") + (e == null ? "unknown" : e.getClass().getSimpleName()),
                null, null);
    }

    public void finish(Exchange exchange) {
        BatchRun run = runOf(exchange);
        writer.flush();
        if (run.isShuttingDown()) {
            LOG.info("batch {} paused for shutdown after {} of {} items; it resumes on the next start", run.id(),
                    run.finishedCount(), run.total());
            return;
        }
        if (run.stopReason() != null) {
            cancelPending(run);
        }
        BatchStatus status = run.finalStatus();
        StopReason reason = run.reportedReason();
        Instant now = Instant.now();
        ObjectNode extra = run.sections();
        store.finishBatch(run.id(), status, reason == null ? null : reason.wire(),
                new BatchRecord.Counts(run.count(ItemStatus.SUCCEEDED), run.count(ItemStatus.FAILED), run.count(ItemStatus.SKIPPED),
                        run.count(ItemStatus.CANCELLED), run.count(ItemStatus.ROLLED_BACK), run.count(ItemStatus.ROLLBACK_FAILED)),
                now.toEpochMilli(), extra.isEmpty() ? null : extra);
        run.markFinished(status, now);
        LOG.info("batch {} {}{}: target={} operation={} total={} succeeded={} failed={} skipped={} cancelled={}{} durationMs={}",
                run.id(), status.wire(), reason == null ? "" : " (" + reason.wire() + ")",
                run.spec().target(), run.spec().operationLabel(), run.total(), run.count(ItemStatus.SUCCEEDED),
                run.count(ItemStatus.FAILED), run.count(ItemStatus.SKIPPED), run.count(ItemStatus.CANCELLED),
                extra.has("rollback") ? " rolledBack=" + run.count(ItemStatus.ROLLED_BACK) + " rollbackFailed="
                        + run.count(ItemStatus.ROLLBACK_FAILED) : "",
                run.startedAt() == null ? 0 : now.toEpochMilli() - run.startedAt().toEpochMilli());
        if (run.failuresNotLogged() > 0) {
            LOG.warn("batch {}: {} more failed items not logged one by one (the first {} were)", run.id(),
                    run.failuresNotLogged(), BatchRun.LOGGED_FAILURES);
        }
    }

    /** Items still pending when the batch stopped end cancelled, each counted in the stage it waited for. */
    private void cancelPending(BatchRun run) {
        Map<Integer, Integer> pendingByStage = new TreeMap<>();
        for (JobStore.StageCount c : store.countByStatusAndStage(run.id())) {
            if (c.status() == ItemStatus.PENDING) {
                pendingByStage.put(c.stage(), c.count());
            }
        }
        if (!pendingByStage.isEmpty()) {
            store.markRemaining(run.id(), List.of(ItemStatus.PENDING), ItemStatus.CANCELLED);
            run.cancelPending(pendingByStage);
        }
    }

    /** Every item with one of {@code statuses}, in input order, a page at a time. */
    private void scan(String batchId, List<ItemStatus> statuses, Consumer<StoredItem> consumer) {
        int after = -1;
        List<StoredItem> rows;
        do {
            rows = store.itemsWithStatus(batchId, statuses, after, PAGE);
            rows.forEach(consumer);
            if (!rows.isEmpty()) {
                after = rows.get(rows.size() - 1).index();
            }
        } while (rows.size() == PAGE);
    }

    private static BatchRun runOf(Exchange exchange) {
        return exchange.getProperty(RUN_PROPERTY, BatchRun.class);
    }
}
