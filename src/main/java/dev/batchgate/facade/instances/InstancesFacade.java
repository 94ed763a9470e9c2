package dev.batchgate.facade.instances;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.RequestBodies;
import dev.batchgate.http.Responses;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.BatchRun;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.json.Json;
import dev.batchgate.target.Target;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instance manager's batch API: {@code POST /v1/core/instances/batch/{start|stop|restart}}
 * with {@code {"instanceIds": [...]}} runs that operation on the instances target and answers the
 * instance manager's document. It never answers 202: items not finished by the facade's timeout are reported
 * failed while the batch goes on.
 */
public final class InstancesFacade {

    private static final Map<String, String> DONE_STATUS = Map.of("start", "started", "stop", "stopped", "restart", "restarted");

    private final Vertx vertx;
    private final BatchEngine engine;
    private final String targetName;
    private final Duration syncTimeout;

    public InstancesFacade(Vertx vertx, BatchEngine engine, String targetName, Duration syncTimeout) {
        this.vertx = vertx;
        this.engine = engine;
        this.targetName = targetName;
        this.syncTimeout = syncTimeout;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.POST, "/v1/core/instances/batch/:operation", this::handle);
    }

    private void handle(RoutingContext ctx) {
        String operation = ctx.pathParam("operation");
        if (!DONE_STATUS.containsKey(operation)) {
            throw new BadRequestException(404, "unknown batch operation '" + operation + "' (start, stop or restart)");
        }
        vertx.executeBlocking(() -> submit(RequestBodies.json(ctx, true), operation), false).onComplete(ar -> {
            if (ar.failed()) {
                Responses.failure(ctx, ar.cause());
                return;
            }
            BatchRun run = ar.result();
            long timer = vertx.setTimer(syncTimeout.toMillis(), id -> answer(ctx, run, operation));
            run.done().whenComplete((v, e) -> vertx.runOnContext(x -> {
                if (vertx.cancelTimer(timer)) {
                    answer(ctx, run, operation);
                }
            }));
        });
    }

    private BatchRun submit(JsonNode body, String operation) {
        if (!body.isObject()) {
            throw new BadRequestException(400, "the body must be a JSON object like {\"instanceIds\": [\"instance-1\"]}");
        }
        JsonNode ids = body.get("instanceIds");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new BadRequestException(400, "instanceIds must be a non-empty list of instance ids",
                    List.of(new BadRequestException.FieldError("instanceIds", null, "required, a non-empty list")));
        }
        Target target = engine.targets().find(targetName)
                .orElseThrow(() -> new BadRequestException(404, "the instances target '" + targetName + "' is not configured"));
        if (target.config().operation(operation) == null) {
            throw new BadRequestException(404, "target '" + targetName + "' has no operation '" + operation + "'");
        }
        if (ids.size() > engine.settings().maxItems()) {
            throw new BadRequestException(413, "too many instanceIds: " + ids.size() + " (the limit is " + engine.settings().maxItems() + ")");
        }
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        List<BatchItem> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            BatchItem item = BatchRequestParser.item(i, ids.get(i), null, errors);
            if (item != null && !seen.add(item.key())) {
                errors.add(new BadRequestException.FieldError("instanceIds[" + i + "]", i, "duplicate id '" + item.key() + "'"));
            }
            items.add(item);
        }
        if (!errors.isEmpty()) {
            List<BadRequestException.FieldError> renamed = errors.stream().map(e -> new BadRequestException.FieldError(
                    e.field().replaceFirst("^items\\[(\\d+)](\\.id)?", "instanceIds[$1]"), e.index(), e.message())).toList();
            throw BadRequestException.of(renamed);
        }
        BatchSpec spec = BatchSpec.builder(targetName, operation).mode(BatchSpec.Mode.SYNC).trigger("facade:instances").build();
        return engine.submit(spec, items, null);
    }

    private void answer(RoutingContext ctx, BatchRun run, String operation) {
        vertx.executeBlocking(() -> document(run, operation), false).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.json(ctx, 200, ar.result());
            } else {
                Responses.failure(ctx, ar.cause());
            }
        });
    }

    /** The instance manager's document: one entry per instance, in request order, then the totals. */
    private ObjectNode document(BatchRun run, String operation) {
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        int ok = 0;
        boolean finished = run.status().isFinished();
        for (JsonNode r : engine.results(run.id())) {
            ObjectNode entry = results.addObject();
            entry.set("instanceId", r.get("id"));
            String status = r.path("status").asText();
            if (status.equals("succeeded")) {
                ok++;
                entry.put("success", true);
                entry.put("status", DONE_STATUS.get(operation));
                entry.put("running", !operation.equals("stop"));
            } else {
                entry.put("success", false);
                entry.put("status", "failed");
                entry.put("error", r.hasNonNull("error") ? r.get("error").asText()
                        : finished ? "not run: batch " + run.id() + " stopped early"
                        : "not finished after " + syncTimeout.toSeconds() + "s (batch " + run.id() + ")");
            }
        }
        ObjectNode doc = Json.object();
        doc.set("results", results);
        doc.put("total", run.total());
        doc.put("success", ok);
        doc.put("failed", run.total() - ok);
        doc.put("message", "Batch " + operation + " operation completed");
        return doc;
    }
}
