package dev.batchgate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import dev.batchgate.service.LiveBatch;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events for one running batch: a snapshot, then {@code progress} events (coalesced to
 * one per 50 ms tick, up to 100 items each, when items finish faster than that), then {@code done}.
 * Every event's id is the place in the batch's finish order it brings the client to (1 for the first
 * result stored, 2 for the next…; kept with each result in the job store), so a client that comes back
 * with {@code Last-Event-ID} gets a {@code progress} event for each item finished after it instead of
 * a snapshot. Written from the event loop, so an open stream holds no thread.
 */
final class EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final long TICK_MS = 50;
    private static final int MAX_ITEMS_PER_EVENT = 100;
    private static final int REPLAY_PAGE = 1000;

    /** An item's progress as the listener got it; {@code finishSeq} 0 for a result that is not stored. */
    private record Finished(int finishSeq, ObjectNode item) {
    }

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final BatchService batches;
    private final LiveBatch run;
    private final List<Finished> finished = new ArrayList<>();
    private Runnable unfollow = () -> {
    };
    private long timer = -1;
    private boolean done;
    /** The place in the finish order the events sent so far bring the client to; event loop only. */
    private int lastId;

    EventStream(Vertx vertx, HttpServerResponse response, BatchService batches, LiveBatch run) {
        this.vertx = vertx;
        this.response = response;
        this.batches = batches;
        this.run = run;
    }

    static void begin(HttpServerResponse response) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
    }

    static void send(HttpServerResponse response, String event, long id, Object data) {
        response.write("event: " + event + "\nid: " + id + "\ndata: " + Json.write(data) + "\n\n");
    }

    /** The id the client last received ({@code Last-Event-ID}, sent by EventSource when it reconnects); null when none or not one of ours. */
    static Integer lastEventId(HttpServerRequest request) {
        String header = request.getHeader("Last-Event-ID");
        if (header == null || !header.trim().matches("\\d{1,9}")) {
            return null;
        }
        return Integer.parseInt(header.trim());
    }

    /**
     * A batch that is no longer running: a snapshot and {@code done}, or after {@code lastEventId} the items
     * finished since then and {@code done}. {@code lastFinishSeq} is the last place its stored results hold.
     */
    static void finishedBatch(Vertx vertx, HttpServerResponse response, BatchService batches, String batchId, ObjectNode summary,
            int lastFinishSeq, Integer lastEventId) {
        Runnable done = () -> {
            send(response, "done", lastFinishSeq, summary);
            response.end();
        };
        if (lastEventId == null || lastEventId > lastFinishSeq) {
            send(response, "snapshot", lastFinishSeq, summary);
            done.run();
        } else {
            replay(vertx, response, batches, batchId, lastEventId, lastFinishSeq, () -> summary, done);
        }
    }

    /** Follows the run from now on: a snapshot first. */
    void start() {
        listen();
        send(response, "snapshot", lastId, run.summary());
        goLive();
    }

    /**
     * Follows the run from {@code lastEventId} on: a progress event for each item finished after it (read
     * from the store once every queued result is written), then live. An id this run has not reached (one a
     * crash lost with results not yet written) starts over with a snapshot.
     */
    void resume(int lastEventId) {
        if (lastEventId > run.publishedFinishSeq()) {
            start();
            return;
        }
        listen();
        int upto = lastId;
        vertx.executeBlocking(() -> {
            batches.flushResults();
            return null;
        }, false).onComplete(flushed -> replay(vertx, response, batches, run.id(), lastEventId, upto,
                run::summary, this::goLive));
    }

    /**
     * Writes a progress event (the summary now, and the item) for each item whose latest result is after
     * {@code after} and up to {@code upto} in the finish order, a page at a time read off the event loop,
     * then runs {@code then}.
     */
    private static void replay(Vertx vertx, HttpServerResponse response, BatchService batches, String batchId, int after, int upto,
            Supplier<ObjectNode> summary, Runnable then) {
        record Page(List<BatchService.FinishedItem> items, ObjectNode summary) {
        }
        vertx.executeBlocking(() -> new Page(batches.finishedBetween(batchId, after, upto, REPLAY_PAGE), summary.get()), false)
                .onComplete(read -> {
                    if (response.closed() || response.ended()) {
                        return;
                    }
                    if (read.failed()) {
                        // the client's EventSource comes back with the same Last-Event-ID
                        LOG.warn("batch {}: replaying its events failed: {}", batchId, read.cause().toString());
                        response.reset();
                        return;
                    }
                    Page page = read.result();
                    for (BatchService.FinishedItem item : page.items()) {
                        ObjectNode progress = page.summary().deepCopy();
                        ObjectNode node = progress.putObject("item");
                        node.set("id", item.itemId());
                        node.put("status", item.status().wire());
                        send(response, "progress", item.finishSeq(), progress);
                    }
                    if (page.items().size() == REPLAY_PAGE) {
                        replay(vertx, response, batches, batchId, page.items().get(REPLAY_PAGE - 1).finishSeq(), upto, summary, then);
                    } else {
                        then.run();
                    }
                });
    }

    /** Listens from the place in the finish order the run's listeners have reached: later events all arrive. */
    private void listen() {
        unfollow = run.follow(this::onProgress);
        lastId = run.publishedFinishSeq();
        response.closeHandler(v -> stop());
    }

    private void goLive() {
        if (response.closed()) {
            stop();
            return;
        }
        timer = vertx.setPeriodic(TICK_MS, id -> flush());
        flush();
    }

    private void onProgress(LiveBatch.Progress event) {
        synchronized (finished) {
            if (event.batchEnded()) {
                done = true;
            } else {
                ObjectNode item = Json.object();
                item.set("id", event.itemId());
                item.put("status", event.itemStatus().wire());
                finished.add(new Finished(event.finishSeq(), item));
            }
        }
    }

    private void flush() {
        List<Finished> items;
        boolean finishing;
        synchronized (finished) {
            items = new ArrayList<>(finished);
            finished.clear();
            finishing = done;
        }
        // what came in before the snapshot or the replay was read is in it already
        items.removeIf(f -> f.finishSeq() != 0 && f.finishSeq() <= lastId);
        ObjectNode summary = items.isEmpty() ? null : run.summary();
        for (int from = 0; from < items.size(); from += MAX_ITEMS_PER_EVENT) {
            List<Finished> chunk = items.subList(from, Math.min(items.size(), from + MAX_ITEMS_PER_EVENT));
            ObjectNode progress = summary.deepCopy();
            progress.set("item", chunk.get(chunk.size() - 1).item());
            if (chunk.size() > 1) {
                progress.set("items", Json.MAPPER.valueToTree(chunk.stream().map(Finished::item).toList()));
            }
            lastId = Math.max(lastId, chunk.stream().mapToInt(Finished::finishSeq).max().orElse(0));
            send(response, "progress", lastId, progress);
        }
        if (finishing || run.status().isFinished()) {
            finish();
        }
    }

    private void finish() {
        stop();
        if (!response.ended() && !response.closed()) {
            send(response, "done", lastId, run.summary());
            response.end();
        }
    }

    private void stop() {
        unfollow.run();
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
