package dev.batchgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.batch.BatchEngine;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Streams a batch's results as NDJSON or CSV, page by page from the store, with back-pressure. */
final class ResultsExport {

    private ResultsExport() {
    }

    static void stream(Vertx vertx, BatchEngine engine, RoutingContext ctx, String id, String status, boolean csv) {
        HttpServerResponse response = ctx.response();
        vertx.executeBlocking(() -> {
            if (engine.find(id).isEmpty()) {
                throw BatchesApi.unknownBatch(id);
            }
            response.setChunked(true).putHeader("Content-Type", csv ? "text/csv" : "application/x-ndjson");
            if (csv) {
                response.write("id,status,httpStatus,attempts,durationMs,error\n");
            }
            StringBuilder chunk = new StringBuilder();
            engine.store().forEachItem(id, status, item -> {
                JsonNode r = BatchEngine.resultJson(item);
                chunk.append(csv ? csvLine(r) : r.toString()).append('\n');
                if (chunk.length() > 32 * 1024) {
                    write(response, chunk);
                }
            });
            write(response, chunk);
            response.end();
            return null;
        }, false).onFailure(e -> {
            if (!response.headWritten()) {
                Responses.failure(ctx, e);
            } else {
                response.reset();
            }
        });
    }

    /** Writes and, when the client reads slower than the store, waits for the write queue to drain. */
    private static void write(HttpServerResponse response, StringBuilder chunk) {
        if (chunk.length() == 0) {
            return;
        }
        response.write(chunk.toString());
        chunk.setLength(0);
        if (response.writeQueueFull()) {
            Promise<Void> drained = Promise.promise();
            response.drainHandler(v -> drained.tryComplete());
            response.closeHandler(v -> drained.tryComplete());
            try {
                drained.future().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("client stopped reading", e);
            }
        }
    }

    static String csvLine(JsonNode r) {
        return String.join(",", csv(r.path("id").asText()), csv(r.path("status").asText()),
                r.hasNonNull("httpStatus") ? r.get("httpStatus").asText() : "",
                r.path("attempts").asText(""), r.path("durationMs").asText(""),
                r.hasNonNull("error") ? csv(r.get("error").asText()) : "");
    }

    private static String csv(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
