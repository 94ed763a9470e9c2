package dev.batchgate.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchIds;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.BatchRun;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.BatchSummaries;
import dev.batchgate.batch.EngineSettings;
import dev.batchgate.batch.ItemRows;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.json.Json;
import dev.batchgate.store.BatchRecord;
import dev.batchgate.store.IdempotencyRecord;
import dev.batchgate.store.JobStore;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.store.StoreException;
import dev.batchgate.store.StoredItem;
import dev.batchgate.target.Target;
import dev.batchgate.target.TargetRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one door into the engine: the HTTP API, every facade, file drops, schedules and MCP submit,
 * follow, cancel and retry batches and read their results here, never the engine or the job store
 * themselves. Idempotency lives here too, so any entry point that passes a key gets it.
 */
public final class BatchService {

    /** How long an idempotency key gives back the batch it made. */
    static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

    /** A caller's idempotency key with the hash of the request it came with. */
    public record IdempotencyKey(String key, String requestHash) {
        static final int MAX_LENGTH = 255;

        /** The key of a request, null when it has none; the request is hashed only for a key that is used. */
        public static IdempotencyKey of(String key, Supplier<String> requestHash) {
            if (key == null || key.isBlank()) {
                return null;
            }
            if (key.length() > MAX_LENGTH) {
                throw BadRequestException.invalid("Idempotency-Key is longer than 255 characters");
            }
            return new IdempotencyKey(key, requestHash.get());
        }
    }

    /**
     * A batch a submit or retry made, or ({@code replayed}) the one an earlier call with the same
     * idempotency key made; {@code live} while it runs in this JVM, {@code statusCode} what the first call answered.
     */
    public record Submitted(String id, int total, BatchStatus storedStatus, int statusCode, boolean replayed, LiveBatch live) {
        /** Its status now: live while it runs here, else as stored. */
        public String status() {
            return live != null ? live.status().wire() : storedStatus.wire();
        }
    }

    /** A stored batch: what it is and where it stands. */
    public record BatchView(String id, BatchStatus status, int total, BatchSpec spec) {
    }

    /** One item's result document (with its stored status) at its place in the batch. */
    public record StoredResult(int index, ItemStatus status, JsonNode document) {
    }

    /** A page of results by offset, with how many results the filter matches in all. */
    public record ResultPage(int total, List<JsonNode> results) {
    }

    /** An item's latest result at its place in the batch's finish order. */
    public record FinishedItem(int finishSeq, JsonNode itemId, ItemStatus status) {
    }

    private final BatchEngine engine;
    private final JobStore store;
    private final TargetRegistry targets;
    private final EngineSettings settings;
    private final ResultWriter writer;
    private final Clock clock;

    /** {@code writer}: the results queued for the store, which a replay of events waits for. */
    public BatchService(BatchEngine engine, JobStore store, TargetRegistry targets, EngineSettings settings, ResultWriter writer,
            Clock clock) {
        this.engine = engine;
        this.store = store;
        this.targets = targets;
        this.settings = settings;
        this.writer = writer;
        this.clock = clock;
    }

    /** The most items a batch may have (batchgate.max-items). */
    public int maxItems() {
        return settings.maxItems();
    }

    /** How long a sync batch is waited for before it is answered 202 (batchgate.sync-timeout). */
    public Duration syncTimeout() {
        return settings.syncTimeout();
    }

    public Optional<Target> target(String name) {
        return targets.find(name);
    }

    /** Stores the batch with its items (on disk before anyone is told), then starts it. */
    public LiveBatch submit(BatchSpec spec, List<BatchItem> items) {
        return new LiveBatch(engine.submit(spec, items, null));
    }

    /**
     * As {@link #submit(BatchSpec, List)}; with a {@code key} already used for the same request within
     * the TTL it gives back that batch instead, also when both calls race, and refuses another request (409).
     */
    public Submitted submit(BatchSpec spec, List<BatchItem> items, IdempotencyKey key) {
        int statusCode = spec.mode() == BatchSpec.Mode.SYNC ? 200 : 202;
        if (key == null) {
            return started(engine.submit(spec, items, null), statusCode);
        }
        Optional<Submitted> replay = replay(key);
        if (replay.isPresent()) {
            return replay.get();
        }
        try {
            return started(engine.submit(spec, items, record(key, statusCode)), statusCode);
        } catch (StoreException e) {
            if (e.isConstraintViolation()) {
                return replay(key).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /** Stores a batch without items, pending, for {@link #appendItems} and then {@link #start}; returns its id. */
    public String createPending(BatchSpec spec) {
        return engine.submit(spec, Collections.emptyIterator(), 0, null, false).id();
    }

    /** Appends items to a pending batch; false (and nothing appended) when one of their ids is stored already. */
    public boolean appendItems(String batchId, List<BatchItem> items) {
        List<StoredItem> rows = new ArrayList<>(items.size());
        for (BatchItem item : items) {
            rows.add(ItemRows.pending(item));
        }
        try {
            store.appendItems(batchId, rows);
            return true;
        } catch (StoreException e) {
            if (!e.isConstraintViolation()) {
                throw e;
            }
            return false;
        }
    }

    /** Claims a pending batch another node left half filled, to fill and start here; false when a live node holds it. */
    public boolean claimPending(String batchId) {
        return engine.claimPending(batchId);
    }

    /** Starts a stored pending batch. */
    public LiveBatch start(String batchId) {
        return new LiveBatch(engine.start(batchId));
    }

    /** A new batch of the items of {@code id} with one of {@code statuses}; {@code params} replace its params when given. */
    public LiveBatch retry(String id, List<ItemStatus> statuses, ObjectNode params) {
        return new LiveBatch(engine.retry(id, statuses, params));
    }

    /** As {@link #retry(String, List, ObjectNode)}, with a {@code key} as for {@link #submit(BatchSpec, List, IdempotencyKey)}. */
    public Submitted retry(String id, List<ItemStatus> statuses, ObjectNode params, IdempotencyKey key) {
        if (key == null) {
            return started(engine.retry(id, statuses, params), 202);
        }
        Optional<Submitted> replay = replay(key);
        if (replay.isPresent()) {
            return replay.get();
        }
        try {
            return started(engine.retry(id, statuses, params, record(key, 202)), 202);
        } catch (StoreException e) {
            if (e.isConstraintViolation()) {
                return replay(key).orElseThrow(() -> e);
            }
            throw e;
        } catch (BadRequestException e) {
            // lost the race to a call with the same key, whose retry is now running
            if (e.kind() == BadRequestException.Kind.CONFLICT) {
                return replay(key).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private static IdempotencyRecord record(IdempotencyKey key, int statusCode) {
        return new IdempotencyRecord(key.key(), key.requestHash(), BatchIds.next(), statusCode);
    }

    private static Submitted started(BatchRun run, int statusCode) {
        return new Submitted(run.id(), run.total(), null, statusCode, false, new LiveBatch(run));
    }

    private Optional<Submitted> replay(IdempotencyKey key) {
        return store.findIdempotencyKey(key.key(), clock.millis() - IDEMPOTENCY_TTL.toMillis()).map(existing -> {
            if (!existing.requestHash().equals(key.requestHash())) {
                throw BadRequestException.conflict("Idempotency-Key '" + key.key() + "' was already used with a different request body");
            }
            BatchRecord record = store.findBatch(existing.batchId())
                    .orElseThrow(() -> BadRequestException.conflict("Idempotency-Key '" + key.key() + "' belongs to a removed batch"));
            return new Submitted(record.id(), record.total(), record.status(), existing.statusCode(), true,
                    engine.live(record.id()).map(LiveBatch::new).orElse(null));
        });
    }

    /** Cancels a batch: calls in flight finish, the rest end cancelled. False when it had finished; empty when unknown. */
    public Optional<Boolean> cancel(String id) {
        return engine.cancel(id);
    }

    public Optional<BatchView> find(String id) {
        return engine.find(id).map(record -> new BatchView(record.id(), record.status(), record.total(),
                BatchRequestParser.readSpec(record.specJson())));
    }

    public Optional<LiveBatch> live(String id) {
        return engine.live(id).map(LiveBatch::new);
    }

    public List<LiveBatch> liveBatches() {
        return engine.liveRuns().stream().map(LiveBatch::new).toList();
    }

    /** The summary document: live counters while running, stored ones after; with every result up to inline-results-max. */
    public Optional<ObjectNode> summary(String id, boolean withResults) {
        return engine.summary(id, withResults);
    }

    /** The stored summary of a finished batch; empty while it is unfinished or when it is unknown. */
    public Optional<ObjectNode> finishedSummary(String id) {
        return engine.find(id).filter(record -> record.status().isFinished())
                .map(record -> BatchSummaries.stored(record, null));
    }

    /** Newest first, as summary documents (live ones for batches running here); null filters are ignored. */
    public List<ObjectNode> list(BatchStatus status, String target, int limit) {
        List<ObjectNode> batches = new ArrayList<>();
        for (BatchRecord record : store.listBatches(status, target, limit)) {
            batches.add(engine.live(record.id()).map(run -> BatchSummaries.live(run, null))
                    .orElseGet(() -> BatchSummaries.stored(record, null)));
        }
        return batches;
    }

    /** Every item result of a batch in input order. */
    public ArrayNode results(String id) {
        return engine.results(id);
    }

    /** Every item result of a batch in input order, one at a time, without holding them all. */
    public void forEachResult(String id, Consumer<JsonNode> consumer) {
        store.forEachItem(id, null, item -> consumer.accept(BatchEngine.resultJson(item)));
    }

    /** Results from {@code offset} in input order, optionally of one status; empty when the batch is unknown. */
    public Optional<ResultPage> results(String id, ItemStatus status, int offset, int limit) {
        if (engine.find(id).isEmpty()) {
            return Optional.empty();
        }
        List<JsonNode> results = store.items(id, status, offset, limit).stream().map(BatchEngine::resultJson).toList();
        return Optional.of(new ResultPage(store.countItems(id, status), results));
    }

    /**
     * A page of results in input order after {@code afterIndex}, for a reader that pages on its own; empty when
     * the batch is not (or no longer) stored, so one deleted part-way is told apart from its last page.
     */
    public Optional<List<StoredResult>> resultsAfter(String id, ItemStatus status, int afterIndex, int limit) {
        return store.itemsAfter(id, status, afterIndex, limit).map(page -> page.stream()
                .map(item -> new StoredResult(item.index(), item.status(), BatchEngine.resultJson(item)))
                .toList());
    }

    /** The last place in a batch's finish order that a stored result holds; 0 when none does. */
    public int lastFinishSeq(String id) {
        return store.lastFinishSeq(id);
    }

    /** Items whose latest result is after {@code afterSeq} and up to {@code uptoSeq} in the finish order, in that order. */
    public List<FinishedItem> finishedBetween(String id, int afterSeq, int uptoSeq, int limit) {
        return store.finishedBetween(id, afterSeq, uptoSeq, limit).stream()
                .map(item -> new FinishedItem(item.finishSeq(), Json.read(item.idJson()), item.status()))
                .toList();
    }

    /** Waits until every result queued so far is in the store, so a replay of events can read it. */
    public void flushResults() {
        writer.flush();
    }
}
