package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.store.BatchRecord;
import dev.batchgate.store.IdempotencyRecord;
import dev.batchgate.store.JobStore;
import dev.batchgate.store.ResultColumn;
import dev.batchgate.store.StoredItem;
import dev.batchgate.target.Target;
import dev.batchgate.target.TargetRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch lifecycle: create (on disk before anyone is told), launch into the Camel flow, look up
 * live or stored, cancel, retry, and resume after a restart. Entry points reach it through
 * {@link dev.batchgate.service.BatchService}.
 */
public final class BatchEngine {

    private static final Logger LOG = LoggerFactory.getLogger(BatchEngine.class);

    private final JobStore store;
    private final TargetRegistry targets;
    private final EngineSettings settings;
    private final Map<String, BatchRun> running = new ConcurrentHashMap<>();
    /** Batches being created here and not launched yet: no claim takes them from under this node. */
    private final Set<String> creating = ConcurrentHashMap.newKeySet();
    /** Batches whose target is no longer configured here: told once, not claimed again every second. */
    private final Set<String> unresumable = ConcurrentHashMap.newKeySet();
    private volatile BooleanSupplier claimsHeld = () -> true;
    private volatile boolean shuttingDown;
    private final Object retryLock = new Object();
    private Consumer<BatchRun> launcher = run -> {
        throw new IllegalStateException("the batch flow is not started");
    };

    public BatchEngine(JobStore store, TargetRegistry targets, EngineSettings settings) {
        this.store = store;
        this.targets = targets;
        this.settings = settings;
    }

    /**
     * Cluster mode: whether this node's claims surely still hold (it heartbeat recently enough). A run
     * that finds they may not starts no further call and pauses; the node claims it again if it is
     * still its own ({@link #resumeUnfinished}).
     */
    public void setClaimsHeld(BooleanSupplier claimsHeld) {
        this.claimsHeld = claimsHeld;
    }

    /** Set once the Camel routes are up: how a created batch is handed to the flow. */
    public void setLauncher(Consumer<BatchRun> launcher) {
        this.launcher = launcher;
    }

    /** Stores the batch with its items in one transaction (a 202 means "on disk"), then starts it. */
    public BatchRun submit(BatchSpec spec, List<BatchItem> items, IdempotencyRecord idempotency) {
        return submit(spec, items.iterator(), items.size(), idempotency, true);
    }

    /**
     * Stores a batch whose items come from an iterator (a file, a retry); {@code start} false leaves
     * it pending so more items can be appended before {@link #start(String)}.
     */
    public BatchRun submit(BatchSpec spec, Iterator<BatchItem> items, int total, IdempotencyRecord idempotency, boolean start) {
        refuseWhileShuttingDown();
        Target target = RequestFields.target(targets::find, spec.target(), null, null);
        String id = idempotency != null ? idempotency.batchId() : BatchIds.next();
        creating.add(id);
        try {
            return create(id, spec, target, items, total, idempotency, start);
        } finally {
            if (start) {
                creating.remove(id);
            }
        }
    }

    private BatchRun create(String id, BatchSpec spec, Target target, Iterator<BatchItem> items, int total,
            IdempotencyRecord idempotency, boolean start) {
        Instant now = Instant.now();
        BatchRecord record = new BatchRecord(id, spec.target(), spec.operationLabel(), BatchRequestParser.specJson(spec),
                BatchStatus.PENDING, null, total, BatchRecord.Counts.ZERO, spec.trigger(), spec.retryOf(),
                now.toEpochMilli(), null, null, null);
        store.createBatch(record, new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public StoredItem next() {
                return ItemRows.pending(items.next());
            }
        }, idempotency);
        BatchRun run = new BatchRun(id, spec, target, total, now, null, BatchRun.Resume.NEW, settings.breakerMinFinished());
        if (start) {
            launch(run);
        }
        return run;
    }

    /**
     * Claims a stored pending batch that a node which died left half filled, to fill and start here;
     * false when a live node holds it.
     */
    public boolean claimPending(String id) {
        creating.add(id);
        if (store.claim(id)) {
            return true;
        }
        creating.remove(id);
        return false;
    }

    /** Starts a stored pending batch (after its items were appended). */
    public BatchRun start(String id) {
        try {
            BatchRecord record = store.findBatch(id).orElseThrow();
            BatchRun run = restore(record);
            launch(run);
            return run;
        } finally {
            creating.remove(id);
        }
    }

    private void launch(BatchRun run) {
        running.put(run.id(), run);
        run.guardCalls(claimsHeld);
        run.done().whenComplete((v, e) -> running.remove(run.id()));
        // a paused run is never done
        run.exited().whenComplete((v, e) -> {
            running.remove(run.id());
            store.release(run.id());
        });
        launcher.accept(run);
    }

    /**
     * Batches left unfinished start again where they stopped: on a single node those a crash or a
     * shutdown left; in a cluster also those of a node found dead, and this node's own that it paused.
     */
    public int resumeUnfinished() {
        Set<String> here = new HashSet<>(creating);
        here.addAll(running.keySet());
        here.addAll(unresumable);
        int resumed = 0;
        Map<String, Integer> takenOver = new TreeMap<>();
        for (JobStore.Claim claim : store.claimUnfinished(here)) {
            BatchRecord record = claim.batch();
            if (targets.find(record.target()).isEmpty()) {
                LOG.warn("batch {} cannot resume: target '{}' is no longer configured", record.id(), record.target());
                store.release(record.id());
                unresumable.add(record.id());
                continue;
            }
            BatchRun run = restore(record);
            int left = run.total() - run.finishedCount();
            if (claim.previousOwner() == null) {
                LOG.info("resuming batch {} ({} items, target {})", record.id(), record.total(), record.target());
            } else {
                LOG.info("resuming batch {} of node {} ({} of {} items left, target {})", record.id(), claim.previousOwner(), left,
                        record.total(), record.target());
                takenOver.merge(claim.previousOwner(), left, Integer::sum);
            }
            launch(run);
            resumed++;
        }
        takenOver.forEach((node, items) -> LOG.warn("took over the batches of node {}: {} items left to run", node, items));
        return resumed;
    }

    /** Cluster mode: the cancels asked for on other nodes of the batches this node runs take effect here. */
    public void applyCancelRequests() {
        for (String id : store.cancelsRequested()) {
            BatchRun run = running.get(id);
            if (run != null && run.stop(StopReason.CANCELLED)) {
                LOG.info("batch {} cancelled on another node", id);
            }
        }
    }

    /**
     * Cluster mode: the others took this node for dead and may run its batches now. Its runs start no
     * further call and stop here, their results kept only where this node's claim still holds.
     */
    public void pauseAllClaimsLost() {
        running.values().forEach(run -> run.stop(StopReason.SHUTDOWN));
    }

    /** A stored batch as a run again: its counts by status and stage, and the phase (and stop reason) it was in. */
    private BatchRun restore(BatchRecord record) {
        Target target = targets.find(record.target())
                .orElseThrow(() -> new IllegalStateException("unknown target '" + record.target() + "'"));
        List<StageTallies.Count> counts = store.countByStatusAndStage(record.id()).stream()
                .map(c -> new StageTallies.Count(c.status(), c.stage(), c.count())).toList();
        String phase = store.findPhase(record.id()).orElse(null);
        StopReason reason = record.reason() == null ? null : StopReason.fromWire(record.reason());
        return new BatchRun(record.id(), BatchRequestParser.readSpec(record.specJson()), target, record.total(),
                Instant.ofEpochMilli(record.createdAt()),
                record.startedAt() == null ? null : Instant.ofEpochMilli(record.startedAt()),
                new BatchRun.Resume(counts, phase, reason, store.lastFinishSeq(record.id()), summarizedStages(record)),
                settings.breakerMinFinished());
    }

    /** The stage tallies a chain's summary held when it entered its rollback, or null. */
    private static List<StageTallies.Count> summarizedStages(BatchRecord record) {
        JsonNode stages = record.extra() == null ? null : record.extra().get("stages");
        return stages == null ? null : StageTallies.counts(stages);
    }

    public Optional<BatchRun> live(String id) {
        return Optional.ofNullable(running.get(id));
    }

    public List<BatchRun> liveRuns() {
        return List.copyOf(running.values());
    }

    /** Stops the runs of this JVM for a shutdown: they stay resumable in the store. */
    public void stopAllForShutdown() {
        shuttingDown = true;
        running.values().forEach(run -> run.stop(StopReason.SHUTDOWN));
    }

    /**
     * A graceful shutdown: no new batch is accepted, nothing new starts, calls in flight get up to
     * {@code timeout} to finish. Returns the runs still busy after that.
     */
    public List<BatchRun> pauseAllForShutdown(Duration timeout) {
        stopAllForShutdown();
        List<BatchRun> runs = liveRuns();
        awaitExit(runs, timeout);
        return runs.stream().filter(run -> !run.exited().isDone()).toList();
    }

    /** Waits up to {@code timeout} for the runs to leave the flow. */
    public static void awaitExit(List<BatchRun> runs, Duration timeout) {
        try {
            CompletableFuture.allOf(runs.stream().map(BatchRun::exited).toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the caller decides what to do with the runs still busy
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void refuseWhileShuttingDown() {
        if (shuttingDown) {
            throw BadRequestException.unavailable("batchgate is shutting down; send the batch again once it is back");
        }
    }

    public Optional<BatchRecord> find(String id) {
        return store.findBatch(id);
    }

    /**
     * Cancels a batch: calls in flight finish, the rest end cancelled. False when it is already finished.
     * In a cluster, a batch another node runs is cancelled there within about a second.
     */
    public Optional<Boolean> cancel(String id) {
        BatchRun run = running.get(id);
        if (run != null) {
            run.stop(StopReason.CANCELLED);
            return Optional.of(true);
        }
        if (settings.clustered() && store.requestCancel(id)) {
            return Optional.of(true);
        }
        return store.findBatch(id).map(r -> r.status() == BatchStatus.CANCELLED);
    }

    /**
     * A new batch of the items of {@code id} whose status is one of {@code statuses}, linked by
     * {@code retryOf}; {@code params} replace the old batch params when given.
     */
    public BatchRun retry(String id, List<ItemStatus> statuses, ObjectNode params) {
        return retry(id, statuses, params, null);
    }

    /**
     * As {@link #retry(String, List, ObjectNode)}, stored with its idempotency key. One retry of a
     * batch at a time: a second one while the first is unfinished would call the same items again
     * under other idempotency keys, so it is refused (409).
     */
    public BatchRun retry(String id, List<ItemStatus> statuses, ObjectNode params, IdempotencyRecord idempotency) {
        synchronized (retryLock) {
            running.values().stream().filter(run -> id.equals(run.spec().retryOf())).findFirst().ifPresent(run -> {
                throw BadRequestException.conflict("batch " + id + " is already being retried by batch " + run.id()
                        + "; retry again once that one has finished");
            });
            return retryNow(id, statuses, params, idempotency);
        }
    }

    private BatchRun retryNow(String id, List<ItemStatus> statuses, ObjectNode params, IdempotencyRecord idempotency) {
        BatchRecord record = store.findBatch(id)
                .orElseThrow(() -> BadRequestException.notFound("unknown batch '" + id + "'"));
        if (!record.status().isFinished()) {
            throw BadRequestException.conflict("batch " + id + " is still " + record.status().wire() + "; retry it once it has finished");
        }
        BatchSpec old = BatchRequestParser.readSpec(record.specJson());
        List<BatchItem> items = new ArrayList<>();
        // a status named twice must not take its items twice: the store does not refuse a repeated id
        for (ItemStatus status : new LinkedHashSet<>(statuses)) {
            store.forEachItem(id, status, stored -> items.add(ItemRows.item(stored)));
        }
        if (items.isEmpty()) {
            throw BadRequestException
                    .conflict("batch " + id + " has no items with status " + statuses.stream().map(ItemStatus::wire).toList());
        }
        items.sort(java.util.Comparator.comparingInt(BatchItem::index));
        List<BatchItem> renumbered = new ArrayList<>(items.size());
        for (BatchItem item : items) {
            ObjectNode merged = item.params();
            if (params != null) {
                merged = merged == null ? params.deepCopy() : merged.deepCopy();
                merged.setAll(params);
            }
            renumbered.add(new BatchItem(renumbered.size(), item.id(), merged));
        }
        BatchSpec spec = old.toBuilder().mode(BatchSpec.Mode.ASYNC).params(params == null ? old.params() : params).dryRun(false)
                .trigger("retry:" + id).retryOf(id).build();
        return submit(spec, renumbered.iterator(), renumbered.size(), idempotency, true);
    }

    /** The summary document: live counters while running, stored ones after. */
    public Optional<ObjectNode> summary(String id, boolean withResults) {
        BatchRun run = running.get(id);
        if (run != null) {
            return Optional.of(BatchSummaries.live(run, withResults && run.total() <= settings.inlineResultsMax()
                    ? results(id) : null));
        }
        return store.findBatch(id).map(record -> BatchSummaries.stored(record.status().isFinished() ? record : withStoredCounts(record),
                withResults && record.total() <= settings.inlineResultsMax() ? results(id) : null));
    }

    /** An unfinished batch this node does not run (another node does, or none yet) counts what its stored results say. */
    private BatchRecord withStoredCounts(BatchRecord record) {
        int[] n = new int[ItemStatus.values().length];
        store.countByStatusAndStage(record.id()).forEach(c -> n[c.status().ordinal()] += c.count());
        return record.withCounts(new BatchRecord.Counts(n[ItemStatus.SUCCEEDED.ordinal()], n[ItemStatus.FAILED.ordinal()],
                n[ItemStatus.SKIPPED.ordinal()], n[ItemStatus.CANCELLED.ordinal()], n[ItemStatus.ROLLED_BACK.ordinal()],
                n[ItemStatus.ROLLBACK_FAILED.ordinal()]));
    }

    /** Every item result of a batch in input order (only for batches up to inline-results-max). */
    public ArrayNode results(String id) {
        ArrayNode results = Json.MAPPER.createArrayNode();
        store.forEachItem(id, null, item -> results.add(resultJson(item)));
        return results;
    }

    /** An item's result document with its stored status (an item cancelled between chain stages keeps what it did); items without one show their id and status. */
    public static JsonNode resultJson(StoredItem item) {
        ItemResult stored = ResultColumn.read(item.index(), item.resultJson());
        if (stored != null) {
            return ResultDocument.of(stored.withStatus(item.status(), stored.error()));
        }
        ObjectNode node = Json.object();
        node.set("id", Json.read(item.idJson()));
        node.put("status", item.status().wire());
        return node;
    }
}
