package dev.batchgate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BatchRun;
import dev.batchgate.batch.BatchSummaries;
import dev.batchgate.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Server-Sent Events for one running batch: a snapshot, then {@code progress} events (coalesced to
 * one per 50 ms tick when items finish faster than that), then {@code done}. Written from the event
 * loop, so an open stream holds no thread.
 */
final class EventStream {

    private static final long TICK_MS = 50;
    private static final int MAX_ITEMS_PER_EVENT = 100;

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final BatchRun run;
    private final List<ObjectNode> finished = new ArrayList<>();
    private final Consumer<BatchRun.ProgressEvent> listener = this::onProgress;
    private long timer = -1;
    private boolean done;

    EventStream(Vertx vertx, HttpServerResponse response, BatchRun run) {
        this.vertx = vertx;
        this.response = response;
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

    /** The event id: how many items the document counts as finished, so id and data always agree. */
    static long finished(ObjectNode summary) {
        return summary.path("total").asLong() - summary.path("pending").asLong() - summary.path("running").asLong();
    }

    void start() {
        ObjectNode snapshot = BatchSummaries.live(run, null);
        send(response, "snapshot", finished(snapshot), snapshot);
        run.addListener(listener);
        response.closeHandler(v -> stop());
        timer = vertx.setPeriodic(TICK_MS, id -> flush());
        if (run.status().isFinished()) {
            finish();
        }
    }

    private void onProgress(BatchRun.ProgressEvent event) {
        synchronized (finished) {
            if (event.item() == null) {
                done = true;
            } else if (finished.size() < MAX_ITEMS_PER_EVENT) {
                ObjectNode item = Json.object();
                item.set("id", event.item().id());
                item.put("status", event.item().status().wire());
                finished.add(item);
            }
        }
    }

    private void flush() {
        List<ObjectNode> items;
        boolean finishing;
        synchronized (finished) {
            items = new ArrayList<>(finished);
            finished.clear();
            finishing = done;
        }
        if (!items.isEmpty()) {
            ObjectNode progress = BatchSummaries.live(run, null);
            progress.set("item", items.get(items.size() - 1));
            if (items.size() > 1) {
                progress.set("items", Json.MAPPER.valueToTree(items));
            }
            send(response, "progress", finished(progress), progress);
        }
        if (finishing || run.status().isFinished()) {
            finish();
        }
    }

    private void finish() {
        stop();
        if (!response.ended() && !response.closed()) {
            ObjectNode summary = BatchSummaries.live(run, null);
            send(response, "done", finished(summary), summary);
            response.end();
        }
    }

    private void stop() {
        run.removeListener(listener);
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
