package dev.batchgate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Server-Sent Events for an unfinished batch that does not run on this node (another node of the
 * cluster runs it): the same events as {@link EventStream}, read from the job store every
 * {@value #POLL_MS} ms, so they trail the running node by the time it takes to write its results. Each
 * read is off the event loop; a stream whose client went away stops reading.
 */
final class StoredEventStream {

    private static final long POLL_MS = 500;
    private static final int MAX_ITEMS_PER_EVENT = 100;
    private static final int PAGE = 1000;

    /** One read: whether the batch had finished before the summary and the items after {@code lastId} were read. */
    private record Read(boolean finished, ObjectNode summary, List<BatchService.FinishedItem> items) {
    }

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final BatchService batches;
    private final String batchId;
    /** The place in the finish order the events sent so far bring the client to. */
    private int lastId;

    private StoredEventStream(Vertx vertx, HttpServerResponse response, BatchService batches, String batchId, int lastId) {
        this.vertx = vertx;
        this.response = response;
        this.batches = batches;
        this.batchId = batchId;
        this.lastId = lastId;
    }

    /**
     * Follows the batch from {@code lastEventId} on, or with a snapshot first when there is none or the store
     * has not reached it (a result a crash lost); {@code lastFinishSeq} is the last place its stored results hold.
     */
    static void follow(Vertx vertx, HttpServerResponse response, BatchService batches, String batchId, ObjectNode summary,
            int lastFinishSeq, Integer lastEventId) {
        boolean resumes = lastEventId != null && lastEventId <= lastFinishSeq;
        if (!resumes) {
            EventStream.send(response, "snapshot", lastFinishSeq, summary);
        }
        new StoredEventStream(vertx, response, batches, batchId, resumes ? lastEventId : lastFinishSeq).poll();
    }

    private void poll() {
        int after = lastId;
        vertx.executeBlocking(() -> {
            // the status first: once it says finished, every result was stored before the reads that follow
            boolean finished = batches.find(batchId).map(batch -> batch.status().isFinished()).orElse(true);
            ObjectNode summary = batches.summary(batchId, false).orElseThrow();
            return new Read(finished, summary, batches.finishedBetween(batchId, after, Integer.MAX_VALUE, PAGE));
        }, false).onComplete(read -> {
            if (response.closed() || response.ended()) {
                return;
            }
            if (read.failed()) {
                // the client's EventSource comes back with the last id it got
                response.reset();
                return;
            }
            send(read.result());
        });
    }

    private void send(Read read) {
        List<BatchService.FinishedItem> items = read.items();
        for (int from = 0; from < items.size(); from += MAX_ITEMS_PER_EVENT) {
            List<BatchService.FinishedItem> chunk = items.subList(from, Math.min(items.size(), from + MAX_ITEMS_PER_EVENT));
            ObjectNode progress = read.summary().deepCopy();
            progress.set("item", item(chunk.get(chunk.size() - 1)));
            if (chunk.size() > 1) {
                progress.set("items", Json.MAPPER.valueToTree(chunk.stream().map(StoredEventStream::item).toList()));
            }
            lastId = chunk.get(chunk.size() - 1).finishSeq();
            EventStream.send(response, "progress", lastId, progress);
        }
        if (items.size() == PAGE) {
            poll();
        } else if (read.finished()) {
            EventStream.send(response, "done", lastId, read.summary());
            response.end();
        } else {
            vertx.setTimer(POLL_MS, id -> poll());
        }
    }

    private static ObjectNode item(BatchService.FinishedItem finished) {
        ObjectNode item = Json.object();
        item.set("id", finished.itemId());
        item.put("status", finished.status().wire());
        return item;
    }
}
