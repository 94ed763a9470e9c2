package dev.batchgate.facade.instances;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.RequestFields;
import dev.batchgate.http.BatchAnswers;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.RequestBodies;
import dev.batchgate.http.Responses;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import dev.batchgate.service.LiveBatch;
import dev.batchgate.target.Target;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The instance manager's batch API: {@code POST /v1/core/instances/batch/{start|stop|restart}}
 * with {@code {"instanceIds": [...]}} runs that operation on the instances target and answers the
 * instance manager's document. It never answers 202: items not finished by the facade's timeout are reported
 * failed while the batch goes on.
 */
public final class InstancesFacade {

    /** An instance given as an object names its id as the instance itself: {@code instanceIds[3]}, not {@code instanceIds[3].id}. */
    private static final RequestFields.ItemPath INSTANCE_IDS = new RequestFields.ItemPath("instanceIds", "");
    private static final Map<String, String> DONE_STATUS = Map.of("start", "started", "stop", "stopped", "restart", "restarted");

    private final Vertx vertx;
    private final BatchService batches;
    private final String targetName;
    private final Duration syncTimeout;

    public InstancesFacade(Vertx vertx, BatchService batches, String targetName, Duration syncTimeout) {
        this.vertx = vertx;
        this.batches = batches;
        this.targetName = targetName;
        this.syncTimeout = syncTimeout;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.POST, "/v1/core/instances/batch/:operation", this::handle);
    }

    private void handle(RoutingContext ctx) {
        String operation = ctx.pathParam("operation");
        if (!DONE_STATUS.containsKey(operation)) {
            throw BadRequestException.notFound("unknown batch operation '" + operation + "' (start, stop or restart)");
        }
        BatchAnswers.blocking(vertx, ctx, () -> submit(RequestBodies.json(ctx, true), operation), (c, run) -> {
            long timer = vertx.setTimer(syncTimeout.toMillis(), id -> answer(c, run, operation));
            run.done().whenComplete((v, e) -> vertx.runOnContext(x -> {
                if (vertx.cancelTimer(timer)) {
                    answer(c, run, operation);
                }
            }));
        });
    }

    private LiveBatch submit(JsonNode body, String operation) {
        if (!body.isObject()) {
            throw BadRequestException.invalid("the body must be a JSON object like {\"instanceIds\": [\"instance-1\"]}");
        }
        JsonNode ids = body.get("instanceIds");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw BadRequestException.invalid("instanceIds must be a non-empty list of instance ids",
                    List.of(new BadRequestException.FieldError("instanceIds", null, "required, a non-empty list")));
        }
        Target target = RequestFields.configuredTarget(batches::target, "instances", targetName, null);
        RequestFields.configuredOperation(target, operation, null);
        RequestFields.itemCount(ids.size(), batches.maxItems(), "instanceIds", null);
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        List<BatchItem> items = new ArrayList<>();
        RequestFields.SeenIds seen = new RequestFields.SeenIds();
        for (int i = 0; i < ids.size(); i++) {
            BatchItem item = RequestFields.item(INSTANCE_IDS, i, ids.get(i), null, errors);
            if (item != null) {
                seen.add(item, INSTANCE_IDS.item(i), "id", null, errors);
            }
            items.add(item);
        }
        if (!errors.isEmpty()) {
            throw BadRequestException.of(errors);
        }
        BatchSpec spec = BatchSpec.builder(targetName, operation).mode(BatchSpec.Mode.SYNC).trigger("facade:instances").build();
        return batches.submit(spec, items);
    }

    private void answer(RoutingContext ctx, LiveBatch run, String operation) {
        BatchAnswers.blocking(vertx, ctx, () -> document(run, operation), (c, doc) -> Responses.json(c, 200, doc));
    }

    /** The instance manager's document: one entry per instance, in request order, then the totals. */
    private ObjectNode document(LiveBatch run, String operation) {
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        int ok = 0;
        boolean finished = run.status().isFinished();
        for (JsonNode r : batches.results(run.id())) {
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
