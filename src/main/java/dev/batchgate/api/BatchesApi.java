package dev.batchgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchIds;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.BatchRun;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.BatchSummaries;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.http.BatchAnswers;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.RequestBodies;
import dev.batchgate.http.Responses;
import dev.batchgate.json.Json;
import dev.batchgate.store.BatchRecord;
import dev.batchgate.store.IdempotencyRecord;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.store.StoreException;
import dev.batchgate.store.StoredItem;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The generic batch API on the Vert.x router. Database work runs on worker threads;
 * waits (sync batches, SSE) are callbacks, so no thread is held while a batch runs.
 */
public final class BatchesApi {

    private static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

    private final Vertx vertx;
    private final BatchEngine engine;
    private final ResultWriter writer;
    private final BatchRequestParser parser;

    /** {@code writer}: the results queued for the store, which a resumed event stream waits for before it reads them. */
    public BatchesApi(Vertx vertx, BatchEngine engine, ResultWriter writer, BatchRequestParser parser) {
        this.vertx = vertx;
        this.engine = engine;
        this.writer = writer;
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

    private record Created(BatchRun run, BatchRecord replayed, int statusCode, ObjectNode dryRun) {
        Created(BatchRun run, BatchRecord replayed, int statusCode) {
            this(run, replayed, statusCode, null);
        }
    }

    private void create(RoutingContext ctx) {
        String key = ctx.request().getHeader("Idempotency-Key");
        blocking(ctx, () -> {
            JsonNode body = RequestBodies.json(ctx, true);
            BatchRequestParser.Parsed parsed = parser.parse(body, "http");
            if (parsed.spec().dryRun()) {
                return new Created(null, null, 200, DryRun.describe(engine, parsed));
            }
            int statusCode = parsed.spec().mode() == BatchSpec.Mode.SYNC ? 200 : 202;
            if (key == null || key.isBlank()) {
                return new Created(engine.submit(parsed.spec(), parsed.items(), null), null, statusCode);
            }
            if (key.length() > 255) {
                throw BadRequestException.invalid("Idempotency-Key is longer than 255 characters");
            }
            String hash = RequestBodies.canonicalHash(body);
            Optional<Created> replay = replay(key, hash);
            if (replay.isPresent()) {
                return replay.get();
            }
            try {
                return new Created(engine.submit(parsed.spec(), parsed.items(),
                        new IdempotencyRecord(key, hash, BatchIds.next(), statusCode)), null, statusCode);
            } catch (StoreException e) {
                if (e.isConstraintViolation()) {
                    return replay(key, hash).orElseThrow(() -> e);
                }
                throw e;
            }
        }, (c, created) -> {
            if (created.dryRun() != null) {
                Responses.json(c, 200, created.dryRun());
            } else if (created.replayed() != null) {
                answerReplay(c, created);
            } else if (created.statusCode() == 200) {
                BatchAnswers.whenDone(vertx, engine, c, created.run());
            } else {
                BatchAnswers.accepted(c, created.run().id(), created.run().status().wire(), created.run().total());
            }
        });
    }

    private Optional<Created> replay(String key, String hash) {
        return engine.store().findIdempotencyKey(key, System.currentTimeMillis() - IDEMPOTENCY_TTL.toMillis()).map(existing -> {
            if (!existing.requestHash().equals(hash)) {
                throw BadRequestException.conflict("Idempotency-Key '" + key + "' was already used with a different request body");
            }
            BatchRecord record = engine.find(existing.batchId())
                    .orElseThrow(() -> BadRequestException.conflict("Idempotency-Key '" + key + "' belongs to a removed batch"));
            return new Created(engine.live(record.id()).orElse(null), record, existing.statusCode());
        });
    }

    private void answerReplay(RoutingContext ctx, Created created) {
        BatchRecord record = created.replayed();
        if (created.statusCode() == 200 && created.run() != null) {
            BatchAnswers.whenDone(vertx, engine, ctx, created.run());
        } else if (created.statusCode() == 200) {
            blocking(ctx, () -> engine.summary(record.id(), true).orElseThrow(), (c, doc) -> Responses.json(c, 200, doc));
        } else {
            BatchAnswers.accepted(ctx, record.id(), created.run() != null ? created.run().status().wire() : record.status(), record.total());
        }
    }

    private void list(RoutingContext ctx) {
        String status = ctx.queryParams().get("status");
        String target = ctx.queryParams().get("target");
        int limit = intParam(ctx, "limit", 50, 1, 1000);
        if (status != null) {
            try {
                BatchStatus.fromWire(status);
            } catch (IllegalArgumentException e) {
                throw BadRequestException.invalid("unknown status '" + status + "' (pending, running, completed, failed, cancelled)");
            }
        }
        blocking(ctx, () -> {
            ArrayNode batches = Json.MAPPER.createArrayNode();
            for (BatchRecord record : engine.store().listBatches(status, target, limit)) {
                batches.add(engine.live(record.id()).map(run -> BatchSummaries.live(run, null))
                        .orElseGet(() -> BatchSummaries.stored(record, null)));
            }
            ObjectNode body = Json.object();
            body.set("batches", batches);
            return body;
        }, (c, body) -> Responses.json(c, 200, body));
    }

    private void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking(ctx, () -> engine.summary(id, true).orElseThrow(() -> unknownBatch(id)),
                (c, doc) -> Responses.json(c, 200, doc));
    }

    private void results(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String status = ctx.queryParams().get("status");
        if (status != null) {
            try {
                ItemStatus.fromWire(status);
            } catch (IllegalArgumentException e) {
                throw BadRequestException.invalid(e.getMessage());
            }
        }
        String accept = ctx.request().getHeader("Accept");
        if (accept != null && (accept.contains("application/x-ndjson") || accept.contains("text/csv"))) {
            ResultsExport.stream(vertx, engine, ctx, id, status, accept.contains("text/csv"));
            return;
        }
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 100, 1, 1000);
        blocking(ctx, () -> {
            engine.find(id).orElseThrow(() -> unknownBatch(id));
            List<StoredItem> page = engine.store().items(id, status, offset, limit);
            ArrayNode results = Json.MAPPER.createArrayNode();
            page.forEach(item -> results.add(BatchEngine.resultJson(item)));
            ObjectNode body = Json.object();
            body.put("total", engine.store().countItems(id, status));
            body.put("offset", offset);
            body.put("limit", limit);
            body.set("results", results);
            return body;
        }, (c, body) -> Responses.json(c, 200, body));
    }

    private record StoredEvents(ObjectNode summary, int lastFinishSeq) {
    }

    private void events(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Integer lastEventId = EventStream.lastEventId(ctx.request());
        Optional<BatchRun> live = engine.live(id);
        if (live.isPresent()) {
            HttpServerResponse response = ctx.response();
            EventStream.begin(response);
            EventStream stream = new EventStream(vertx, response, live.get());
            if (lastEventId == null) {
                stream.start();
            } else {
                stream.resume(lastEventId, engine.store(), writer::flush);
            }
            return;
        }
        blocking(ctx, () -> new StoredEvents(engine.summary(id, false).orElseThrow(() -> unknownBatch(id)),
                engine.store().lastFinishSeq(id)), (c, stored) -> {
                    HttpServerResponse response = c.response();
                    EventStream.begin(response);
                    EventStream.finishedBatch(vertx, response, engine.store(), id, stored.summary(), stored.lastFinishSeq(), lastEventId);
                });
    }

    private void cancel(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking(ctx, () -> {
            Optional<Boolean> cancelled = engine.cancel(id);
            if (cancelled.isEmpty()) {
                throw unknownBatch(id);
            }
            if (!cancelled.get()) {
                throw BadRequestException.conflict("batch " + id + " has already finished");
            }
            return engine.summary(id, false).orElseThrow();
        }, (c, doc) -> Responses.json(c, 202, doc));
    }

    /** What a retry answers: the new batch, or the one an earlier call with the same Idempotency-Key made. */
    private record Retried(String id, String status, int total) {
        static Retried of(BatchRun run) {
            return new Retried(run.id(), run.status().wire(), run.total());
        }

        static Retried of(Created replay) {
            return replay.run() != null ? of(replay.run())
                    : new Retried(replay.replayed().id(), replay.replayed().status(), replay.replayed().total());
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
            if (key == null || key.isBlank()) {
                return Retried.of(engine.retry(id, statuses, params));
            }
            return idempotentRetry(id, key, body, statuses, params);
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

    /** The same Idempotency-Key and body give the same retry batch, also when both calls race. */
    private Retried idempotentRetry(String id, String key, JsonNode body, List<ItemStatus> statuses, ObjectNode params) {
        if (key.length() > 255) {
            throw BadRequestException.invalid("Idempotency-Key is longer than 255 characters");
        }
        ObjectNode request = Json.object();
        request.put("retryOf", id);
        request.set("body", body);
        String hash = RequestBodies.canonicalHash(request);
        Optional<Created> replay = replay(key, hash);
        if (replay.isPresent()) {
            return Retried.of(replay.get());
        }
        try {
            return Retried.of(engine.retry(id, statuses, params, new IdempotencyRecord(key, hash, BatchIds.next(), 202)));
        } catch (StoreException e) {
            if (e.isConstraintViolation()) {
                return replay(key, hash).map(Retried::of).orElseThrow(() -> e);
            }
            throw e;
        } catch (BadRequestException e) {
            // lost the race to a call with the same key, whose retry is now running
            if (e.kind() == BadRequestException.Kind.CONFLICT) {
                return replay(key, hash).map(Retried::of).orElseThrow(() -> e);
            }
            throw e;
        }
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
