package dev.batchgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.RequestFields;
import dev.batchgate.http.BatchAnswers;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.RequestBodies;
import dev.batchgate.http.Responses;
import dev.batchgate.json.Json;
import dev.batchgate.ratelimit.CircuitBreaker;
import dev.batchgate.ratelimit.RateLimiter;
import dev.batchgate.target.OperationConfig;
import dev.batchgate.target.Secrets;
import dev.batchgate.target.Target;
import dev.batchgate.target.TargetConfig;
import dev.batchgate.target.TargetRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/targets} (limits, live rate, in-flight; secrets masked) and {@code PATCH /v1/targets/{t}} (live retune). */
public final class TargetsApi {

    private final Vertx vertx;
    private final TargetRegistry targets;

    public TargetsApi(Vertx vertx, TargetRegistry targets) {
        this.vertx = vertx;
        this.targets = targets;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.GET, "/v1/targets", this::list);
        HttpApi.on(router, HttpMethod.GET, "/v1/targets/:target", ctx -> Responses.json(ctx, 200, describe(find(ctx))));
        HttpApi.on(router, HttpMethod.PATCH, "/v1/targets/:target", this::patch);
    }

    private void list(RoutingContext ctx) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("targets");
        targets.all().forEach(t -> list.add(describe(t)));
        Responses.json(ctx, 200, body);
    }

    private Target find(RoutingContext ctx) {
        String name = ctx.pathParam("target");
        return RequestFields.target(targets::find, name, null, null);
    }

    private void patch(RoutingContext ctx) {
        Target target = find(ctx);
        JsonNode body = RequestBodies.json(ctx, true);
        if (!body.isObject()) {
            throw BadRequestException.invalid("the body must be a JSON object like {\"rpm\": 600, \"concurrency\": 10}");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!f.equals("rpm") && !f.equals("concurrency")) {
                throw BadRequestException.invalid("unknown field '" + f + "' (only rpm and concurrency can change live)");
            }
        });
        Integer rpm = limit(body, "rpm", 0);
        Integer concurrency = limit(body, "concurrency", 1);
        // in a cluster the retune is stored for the other nodes first
        BatchAnswers.blocking(vertx, ctx, () -> {
            targets.retune(target, rpm, concurrency);
            return describe(target);
        }, (c, doc) -> Responses.json(c, 200, doc));
    }

    private static Integer limit(JsonNode body, String field, int min) {
        JsonNode node = body.get(field);
        if (node == null) {
            return null;
        }
        if (node.isNull() && field.equals("rpm")) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min) {
            throw BadRequestException.invalid(field + " must be an integer of at least " + min
                    + (field.equals("rpm") ? " (0 or null removes the limit)" : ""));
        }
        return node.asInt();
    }

    static ObjectNode describe(Target target) {
        TargetConfig c = target.config();
        RateLimiter.Snapshot live = target.limiter().snapshot();
        ObjectNode n = Json.object();
        n.put("name", c.name());
        n.put("url", c.url());
        n.put("rpm", c.rpm());
        n.put("effectiveRpm", live.effectiveRpm());
        n.put("concurrency", c.concurrency());
        n.put("timeoutMs", c.timeout().toMillis());
        n.put("retries", c.retries());
        n.put("retryDelayMs", c.retryDelay().toMillis());
        n.set("headers", Json.MAPPER.valueToTree(Secrets.maskHeaders(c.headers())));
        ObjectNode ops = n.putObject("operations");
        for (OperationConfig op : c.operations().values()) {
            ObjectNode o = ops.putObject(op.name());
            o.put("call", op.isHttp() ? op.method() + " " + op.path() : op.endpointUri());
            if (op.rollback() != null) {
                o.put("rollback", op.rollback());
            }
            if (op.check() != null) {
                o.put("check", op.check().method() + " " + op.check().path());
            }
            if (op.await() != null) {
                o.put("await", op.await().method() + " " + op.await().path());
            }
        }
        ObjectNode liveNode = n.putObject("live");
        liveNode.put("ratePerMinute", live.startedLastMinute());
        liveNode.put("inFlight", live.inFlight());
        liveNode.put("waiting", live.waiting());
        liveNode.put("pausedForMs", live.pausedForMs());
        CircuitBreaker.Snapshot circuit = target.limiter().circuit();
        ObjectNode circuitNode = n.putObject("circuit");
        circuitNode.put("state", circuit.state().wire());
        circuitNode.put("consecutiveFailures", circuit.consecutiveFailures());
        circuitNode.put("retryInMs", circuit.retryInMs());
        circuitNode.put("timesOpened", circuit.opened());
        circuitNode.put("failureThreshold", target.limiter().circuitSettings().failureThreshold());
        circuitNode.put("coolDownMs", target.limiter().circuitSettings().coolDown().toMillis());
        return n;
    }
}
