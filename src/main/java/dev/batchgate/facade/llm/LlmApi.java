package dev.batchgate.facade.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.config.ConfigValues;
import dev.batchgate.http.BatchAnswers;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.RequestBodies;
import dev.batchgate.http.Responses;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import dev.batchgate.store.UsageStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The LLM facade's HTTP calls: {@code POST /v1/llm/batches} (a batch of the {@code llm} target, so it
 * is listed, followed and retried through {@code /v1/batches} like any other), {@code GET /v1/llm/usage}
 * (usage grouped as asked) and {@code GET /v1/llm/models} (the pool right now).
 */
public final class LlmApi {

    private static final Duration DEFAULT_SINCE = Duration.ofHours(24);
    private static final List<String> DEFAULT_GROUP_BY = List.of("operation", "model");

    private final Vertx vertx;
    private final BatchService batches;
    private final LlmRequestParser parser;
    private final UsageStore usage;
    private final ModelPool pool;
    private final AutoConcurrency concurrency;
    private final LlmSettings settings;

    public LlmApi(Vertx vertx, BatchService batches, LlmRequestParser parser, UsageStore usage, ModelPool pool,
            AutoConcurrency concurrency, LlmSettings settings) {
        this.vertx = vertx;
        this.batches = batches;
        this.parser = parser;
        this.usage = usage;
        this.pool = pool;
        this.concurrency = concurrency;
        this.settings = settings;
    }

    public void mount(Router router) {
        HttpApi.on(router, HttpMethod.POST, "/v1/llm/batches", this::create);
        HttpApi.on(router, HttpMethod.GET, "/v1/llm/usage", this::usage);
        HttpApi.on(router, HttpMethod.GET, "/v1/llm/models", this::models);
    }

    private void create(RoutingContext ctx) {
        blocking(ctx, () -> {
            BatchRequestParser.Parsed parsed = parser.parse(RequestBodies.json(ctx, true));
            return batches.submit(parsed.spec(), parsed.items());
        }, (c, run) -> {
            if (run.spec().mode() == BatchSpec.Mode.SYNC) {
                BatchAnswers.whenDone(vertx, batches, c, run);
                return;
            }
            BatchAnswers.accepted(c, run.id(), run.status().wire(), run.total());
        });
    }

    private void usage(RoutingContext ctx) {
        Duration since = since(ctx.queryParams().get("since"));
        List<String> groupBy = groupBy(ctx.queryParams().get("groupBy"));
        String batchId = ctx.queryParams().get("batchId");
        Instant from = Instant.now().minus(since);
        blocking(ctx, () -> {
            List<UsageStore.Sums> sums = usage.sums(from.toEpochMilli(), batchId, groupBy);
            ObjectNode body = Json.object();
            body.put("since", from.toString());
            body.set("groupBy", Json.MAPPER.valueToTree(groupBy));
            if (batchId != null) {
                body.put("batchId", batchId);
            }
            body.set("groups", UsageGroups.array(UsageGroups.fold(groupBy, sums)));
            body.set("totals", UsageGroups.totals(sums));
            return body;
        }, (c, body) -> Responses.json(c, 200, body));
    }

    private void models(RoutingContext ctx) {
        ObjectNode body = Json.object();
        body.put("url", settings.url());
        body.put("autoConcurrency", concurrency.concurrency());
        body.put("maxConcurrency", concurrency.max());
        Duration latency = concurrency.observedLatency();
        body.put("observedLatencyMs", latency == null ? null : latency.toMillis());
        body.put("waiting", pool.waiting());
        ArrayNode models = body.putArray("models");
        for (ModelPool.ModelState state : pool.snapshot()) {
            ObjectNode model = models.addObject();
            model.put("name", state.name());
            model.put("priority", state.priority());
            model.put("rpm", state.rpm());
            model.put("exhausted", state.exhaustedForMs() > 0);
            model.put("exhaustedForMs", state.exhaustedForMs());
            model.put("startedLastMinute", state.startedLastMinute());
            model.put("inFlight", state.inFlight());
            ModelPrice price = settings.price(state.name());
            ObjectNode prices = model.putObject("priceUsdPerMillion");
            prices.put("input", price.inputPerMillion());
            prices.put("output", price.outputPerMillion());
        }
        Responses.json(ctx, 200, body);
    }

    private static Duration since(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_SINCE;
        }
        try {
            return ConfigValues.duration(text);
        } catch (IllegalArgumentException e) {
            throw BadRequestException.invalid("since must be a duration such as 1h, 30m or 7d",
                    List.of(new BadRequestException.FieldError("since", null, "not a duration: '" + text + "'")));
        }
    }

    private static List<String> groupBy(String text) {
        if (text == null) {
            return DEFAULT_GROUP_BY;
        }
        List<String> keys = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        for (String key : keys) {
            if (!UsageGroups.isKnown(key)) {
                throw BadRequestException.invalid("groupBy: unknown key '" + key + "'",
                        List.of(new BadRequestException.FieldError("groupBy", null, "unknown key '" + key
                                + "'; use operation, model, status, batchId or metadata.<key>")));
            }
        }
        return keys;
    }

    private <T> void blocking(RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> answer) {
        BatchAnswers.blocking(vertx, ctx, work, answer);
    }
}
