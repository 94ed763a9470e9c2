package dev.batchgate.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.http.Responses;
import dev.batchgate.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A simulated instance API under {@code /demo/} so every README example runs on a fresh machine:
 * realistic latency, an RPM limit of its own that answers 429 with Retry-After, and ids that fail
 * ({@code missing-*} → 404, {@code boom-*} → 500).
 */
public final class DemoDownstream {

    private static final int MAX_INSTANCES = 100_000;

    private final Vertx vertx;
    private final Duration latency;
    private final int rpm;
    private final ArrayDeque<Long> recent = new ArrayDeque<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();

    public DemoDownstream(Vertx vertx, Duration latency, int rpm) {
        this.vertx = vertx;
        this.latency = latency;
        this.rpm = rpm;
    }

    public void mount(Router router) {
        router.route(HttpMethod.POST, "/demo/instances/:id/:action").handler(this::action);
        router.route(HttpMethod.GET, "/demo/instances/:id").handler(ctx -> later(ctx, () -> state(ctx, ctx.pathParam("id"))));
    }

    private void action(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String action = ctx.pathParam("action");
        if (!overLimit(ctx)) {
            later(ctx, () -> {
                if (id.startsWith("missing-")) {
                    Responses.error(ctx, 404, "instance not found");
                } else if (id.startsWith("boom-")) {
                    Responses.error(ctx, 500, "Could not " + action + " instance: the host did not answer");
                } else {
                    switch (action) {
                        case "start", "restart" -> remember(id, "running");
                        case "stop" -> remember(id, "stopped");
                        default -> {
                            Responses.error(ctx, 404, "unknown action '" + action + "'");
                            return;
                        }
                    }
                    state(ctx, id);
                }
            });
        }
    }

    private void remember(String id, String state) {
        if (states.size() >= MAX_INSTANCES) {
            states.clear();
        }
        states.put(id, state);
    }

    private void state(RoutingContext ctx, String id) {
        ObjectNode body = Json.object();
        body.put("id", id);
        body.put("state", states.getOrDefault(id, "stopped"));
        Responses.json(ctx, 200, body);
    }

    /** Answers 429 when more than rpm calls arrived in the last minute. */
    private boolean overLimit(RoutingContext ctx) {
        long now = System.currentTimeMillis();
        synchronized (recent) {
            while (!recent.isEmpty() && now - recent.peekFirst() >= 60_000) {
                recent.pollFirst();
            }
            if (recent.size() < rpm) {
                recent.addLast(now);
                return false;
            }
            long retryAfter = Math.max(1, (recent.peekFirst() + 60_000 - now + 999) / 1000);
            ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
        }
        Responses.error(ctx, 429, "demo rate limit of " + rpm + " requests per minute reached");
        return true;
    }

    /** Simulated work: the configured latency ±50 %, on a timer (the event loop is never blocked). */
    private void later(RoutingContext ctx, Runnable answer) {
        long base = latency.toMillis();
        long delay = base <= 0 ? 0 : base / 2 + ThreadLocalRandom.current().nextLong(base + 1);
        if (delay == 0) {
            answer.run();
        } else {
            vertx.setTimer(delay, id -> answer.run());
        }
    }
}
