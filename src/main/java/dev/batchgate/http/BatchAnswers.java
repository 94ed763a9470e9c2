package dev.batchgate.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import dev.batchgate.service.LiveBatch;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/** The answers every batch-creating endpoint shares: worker-thread store work, 202 handles, sync waits. */
public final class BatchAnswers {

    private BatchAnswers() {
    }

    /** Runs blocking work (the job store) on a worker thread and answers with its result or its error. */
    public static <T> void blocking(Vertx vertx, RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> answer) {
        vertx.<T>executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                try {
                    answer.accept(ctx, ar.result());
                } catch (RuntimeException e) {
                    Responses.failure(ctx, e);
                }
            } else {
                Responses.failure(ctx, ar.cause());
            }
        });
    }

    /** 202 with {@code {id, status, total}} and the batch's Location. */
    public static void accepted(RoutingContext ctx, String id, String status, int total) {
        ObjectNode body = Json.object();
        body.put("id", id);
        body.put("status", status);
        body.put("total", total);
        ctx.response().putHeader("Location", "/v1/batches/" + id);
        Responses.json(ctx, 202, body);
    }

    /**
     * Answers with the summary and every result when the batch ends, or 202 with the live summary
     * after sync-timeout; the batch goes on either way and no thread waits meanwhile.
     */
    public static void whenDone(Vertx vertx, BatchService batches, RoutingContext ctx, LiveBatch run) {
        long timer = vertx.setTimer(batches.syncTimeout().toMillis(), id -> {
            ctx.response().putHeader("Location", "/v1/batches/" + run.id());
            Responses.json(ctx, 202, run.summary());
        });
        run.done().whenComplete((v, e) -> vertx.runOnContext(x -> {
            if (vertx.cancelTimer(timer)) {
                blocking(vertx, ctx, () -> batches.summary(run.id(), true).orElseThrow(), (c, doc) -> Responses.json(c, 200, doc));
            }
        }));
    }
}
