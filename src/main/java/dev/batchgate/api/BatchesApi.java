package dev.batchgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.http.BatchAnswers;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.RequestBodies;
import dev.batchgate.http.Responses;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import dev.batchgate.service.BatchService.IdempotencyKey;
import dev.batchgate.service.BatchService.Submitted;
import dev.batchgate.service.LiveBatch;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The generic batch API on the Vert.x router. Database work runs on worker threads;
 * waits (sync batches, SSE) are callbacks, so no thread is held while a batch runs.
 */
public final class BatchesApi {

    private final Vertx vertx;
    private final BatchService batches;
    private final BatchRequestParser parser;

    public BatchesApi(Vertx vertx, BatchService batches, BatchRequestParser parser) {
        this.vertx = vertx;
        this.batches = batches;
        this.parser = parser;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.POST, "/v1/batches", this::create);
        HttpApi.on(router, HttpMethod.GET, "/v1/batches", this::list);
        HttpApi.on(router, HttpMethod.GET, "/v1/batches/:id", this::get);
        HttpApi.on(router, HttpMethod.GET, "/v1/batches/:id/results", this::results);
        HttpApi.on(router, HttpMethod.GET, "/v1/batches/:id/events", this::events);
        HttpApi.on(router, HttpMethod.POST, "/v1/batches/:id/cancel", this::cancel);
        HttpApi.on(router, HttpMethod.POST, "/v1/batches/:id/retry", this::retry);
    }

    private <T> void blocking(RoutingContext ctx, Callable<T> work, java.util.function.BiConsumer<RoutingContext, T> answer) {
        BatchAnswers.blocking(vertx, ctx, work, answer);
    }

    private record Created(Submitted submitted, ObjectNode dryRun) {
    }

    private void create(RoutingContext ctx) {
        String key = ctx.request().getHeader("Idempotency-Key");
        blocking(ctx, () -> {
            JsonNode body = RequestBodies.json(ctx, true);
            BatchRequestParser.Parsed parsed = parser.parse(body, "http");
            if (parsed.spec().dryRun()) {
                return new Created(null, DryRun.describe(batches, parsed));
            }
            return new Created(batches.submit(parsed.spec(), parsed.items(),
                    IdempotencyKey.of(key, () -> RequestBodies.canonicalHash(body))), null);
        }, (c, created) -> {
            Submitted submitted = created.submitted();
            if (created.dryRun() != null) {
                Responses.json(c, 200, created.dryRun());
            } else if (submitted.statusCode() == 200 && submitted.live() != null) {
                BatchAnswers.whenDone(vertx, batches, c, submitted.live());
            } else if (submitted.statusCode() == 200) {
                blocking(c, () -> batches.summary(submitted.id(), true).orElseThrow(), (c2, doc) -> Responses.json(c2, 200, doc));
            } else {
                BatchAnswers.accepted(c, submitted.id(), submitted.status(), submitted.total());
            }
        });
    }

    private void list(RoutingContext ctx) {
        String statusParam = ctx.queryParams().get("status");
        String target = ctx.queryParams().get("target");
        int limit = intParam(ctx, "limit", 50, 1, 1000);
        BatchStatus status;
        try {
            status = statusParam == null ? null : BatchStatus.fromWire(statusParam);
        } catch (IllegalArgumentException e) {
            throw BadRequestException.invalid("unknown status '" + statusParam + "' (pending, running, completed, failed, cancelled)");
        }
        blocking(ctx, () -> {
            ArrayNode list = Json.MAPPER.createArrayNode();
            batches.list(status, target, limit).forEach(list::add);
            ObjectNode body = Json.object();
            body.set("batches", list);
            return body;
        }, (c, body) -> Responses.json(c, 200, body));
    }

    private void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking(ctx, () -> batches.summary(id, true).orElseThrow(() -> unknownBatch(id)),
                (c, doc) -> Responses.json(c, 200, doc));
    }

    private void results(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String wire = ctx.queryParams().get("status");
        ItemStatus status = null;
        if (wire != null) {
            try {
                status = ItemStatus.fromWire(wire);
            } catch (IllegalArgumentException e) {
                throw BadRequestException.invalid(e.getMessage());
            }
        }
        String accept = ctx.request().getHeader("Accept");
        if (accept != null && (accept.contains("application/x-ndjson") || accept.contains("text/csv"))) {
            ResultsExport.stream(vertx, batches, ctx, id, status, accept.contains("text/csv"));
            return;
        }
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 100, 1, 1000);
        ItemStatus filter = status;
        blocking(ctx, () -> {
            BatchService.ResultPage page = batches.results(id, filter, offset, limit).orElseThrow(() -> unknownBatch(id));
            ArrayNode results = Json.MAPPER.createArrayNode();
            page.results().forEach(results::add);
            ObjectNode body = Json.object();
            body.put("total", page.total());
            body.put("offset", offset);
            body.put("limit", limit);
            body.set("results", results);
            return body;
        }, (c, body) -> Responses.json(c, 200, body));
    }

    /** A batch that does not run here, as stored: {@code finished} read before the rest. */
    private record StoredEvents(boolean finished, ObjectNode summary, int lastFinishSeq) {
    }

    private void events(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Integer lastEventId = EventStream.lastEventId(ctx.request());
        Optional<LiveBatch> live = batches.live(id);
        if (live.isPresent()) {
            HttpServerResponse response = ctx.response();
            EventStream.begin(response);
            EventStream stream = new EventStream(vertx, response, batches, live.get());
            if (lastEventId == null) {
                stream.start();
            } else {
                stream.resume(lastEventId);
            }
            return;
        }
        blocking(ctx, () -> {
            boolean finished = batches.find(id).orElseThrow(() -> unknownBatch(id)).status().isFinished();
            return new StoredEvents(finished, batches.summary(id, false).orElseThrow(() -> unknownBatch(id)), batches.lastFinishSeq(id));
        }, (c, stored) -> {
            HttpServerResponse response = c.response();
            EventStream.begin(response);
            if (stored.finished()) {
                EventStream.finishedBatch(vertx, response, batches, id, stored.summary(), stored.lastFinishSeq(), lastEventId);
            } else {
                // another node runs it
                StoredEventStream.follow(vertx, response, batches, id, stored.summary(), stored.lastFinishSeq(), lastEventId);
            }
        });
    }

    private void cancel(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking(ctx, () -> {
            Optional<Boolean> cancelled = batches.cancel(id);
            if (cancelled.isEmpty()) {
                throw unknownBatch(id);
            }
            if (!cancelled.get()) {
                throw BadRequestException.conflict("batch " + id + " has already finished");
            }
            return batches.summary(id, false).orElseThrow();
        }, (c, doc) -> Responses.json(c, 202, doc));
    }

    /** What a retry answers: the new batch, or the one an earlier call with the same Idempotency-Key made. */
    private record Retried(String id, String status, int total) {
        static Retried of(Submitted submitted) {
            return new Retried(submitted.id(), submitted.status(), submitted.total());
        }
    }

    private void retry(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String key = ctx.request().getHeader("Idempotency-Key");
        blocking(ctx, () -> {
            JsonNode body = RequestBodies.json(ctx, false);
            List<ItemStatus> statuses = new ArrayList<>(List.of(ItemStatus.FAILED, ItemStatus.CANCELLED));
            ObjectNode params = null;
            if (body != null) {
                if (!body.isObject()) {
                    throw BadRequestException.invalid("the body must be a JSON object like {\"statuses\": [\"failed\"], \"params\": {}}");
                }
                JsonNode s = body.get("statuses");
                if (s != null) {
                    if (!s.isArray() || s.isEmpty()) {
                        throw BadRequestException.invalid("statuses must be a non-empty list of item statuses");
                    }
                    statuses.clear();
                    for (JsonNode st : s) {
                        try {
                            statuses.add(ItemStatus.fromWire(st.asText()));
                        } catch (IllegalArgumentException e) {
                            throw BadRequestException.invalid(e.getMessage());
                        }
                    }
                }
                JsonNode p = body.get("params");
                if (p != null && !p.isObject()) {
                    throw BadRequestException.invalid("params must be an object");
                }
                params = (ObjectNode) p;
            }
            return Retried.of(batches.retry(id, statuses, params, IdempotencyKey.of(key, () -> retryHash(id, body))));
        }, (c, retried) -> {
            ObjectNode body = Json.object();
            body.put("id", retried.id());
            body.put("status", retried.status());
            body.put("total", retried.total());
            body.put("retryOf", id);
            c.response().putHeader("Location", "/v1/batches/" + retried.id());
            Responses.json(c, 202, body);
        });
    }

    /** A retry's request for its Idempotency-Key: the batch it retries and the body. */
    private static String retryHash(String id, JsonNode body) {
        ObjectNode request = Json.object();
        request.put("retryOf", id);
        request.set("body", body);
        return RequestBodies.canonicalHash(request);
    }

    static BadRequestException unknownBatch(String id) {
        return BadRequestException.notFound("unknown batch '" + id + "'");
    }

    static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParams().get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw BadRequestException.invalid(name + " must be an integer from " + min + " to " + max);
        }
    }
}
