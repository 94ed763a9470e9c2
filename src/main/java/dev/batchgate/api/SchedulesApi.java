package dev.batchgate.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.Responses;
import dev.batchgate.json.Json;
import dev.batchgate.trigger.schedule.ScheduleConfig;
import dev.batchgate.trigger.schedule.Schedules;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** {@code GET /v1/schedules}: every schedule with its last and next firing. */
public final class SchedulesApi {

    private final Vertx vertx;
    private final Schedules schedules;
    private final Function<String, Optional<Instant>> nextFiring;

    public SchedulesApi(Vertx vertx, Schedules schedules, Function<String, Optional<Instant>> nextFiring) {
        this.vertx = vertx;
        this.schedules = schedules;
        this.nextFiring = nextFiring;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.GET, "/v1/schedules", ctx -> vertx.<ObjectNode>executeBlocking(() -> {
            ObjectNode body = Json.object();
            ArrayNode list = body.putArray("schedules");
            for (ScheduleConfig config : schedules.all()) {
                list.add(schedules.describe(config, nextFiring.apply(config.name()).orElse(null)));
            }
            return body;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.json(ctx, 200, ar.result());
            } else {
                Responses.failure(ctx, ar.cause());
            }
        }));
    }
}
