package dev.batchgate.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BatchRun;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.BatchSummaries;
import dev.batchgate.batch.ItemStatus;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A batch running in this JVM as an entry point follows it: what it is, its live summary, when it
 * ends and its progress. A read-only view: stopping or steering the run stays with the engine.
 */
public final class LiveBatch {

    /**
     * An item finished at {@code finishSeq} in the batch's finish order (0 for a result that is not stored),
     * or, with a null {@code itemId}, the batch ended.
     */
    public record Progress(int finishSeq, JsonNode itemId, ItemStatus itemStatus) {
        public boolean batchEnded() {
            return itemId == null;
        }
    }

    private final BatchRun run;

    /** For the wiring, which is handed every run the engine launches. */
    public LiveBatch(BatchRun run) {
        this.run = run;
    }

    public String id() {
        return run.id();
    }

    public int total() {
        return run.total();
    }

    public BatchSpec spec() {
        return run.spec();
    }

    public BatchStatus status() {
        return run.status();
    }

    /** The summary document with the live counters. */
    public ObjectNode summary() {
        return BatchSummaries.live(run, null);
    }

    /** Completes when the batch ends; a copy, so completing it ends nothing. */
    public CompletableFuture<Void> done() {
        return run.done().copy();
    }

    /** The place in the finish order every follower has had the events up to (see {@link #follow}). */
    public int publishedFinishSeq() {
        return run.publishedFinishSeq();
    }

    /** Hands {@code listener} every event from now on; run the answer to stop. */
    public Runnable follow(Consumer<Progress> listener) {
        Consumer<BatchRun.ProgressEvent> forward = event -> listener.accept(event.item() == null
                ? new Progress(event.finishSeq(), null, null)
                : new Progress(event.finishSeq(), event.item().id(), event.item().status()));
        run.addListener(forward);
        return () -> run.removeListener(forward);
    }
}
