package dev.batchgate.facade.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchRun;
import dev.batchgate.batch.ItemProcedure;
import dev.batchgate.batch.ItemResult;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.json.Json;
import dev.batchgate.store.StoreException;
import dev.batchgate.store.UsageRow;
import dev.batchgate.store.UsageStore;
import dev.batchgate.target.CallOutcome;
import dev.batchgate.target.ResolvedRequest;
import dev.batchgate.target.TargetCaller;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one item of an LLM batch: takes a model from the pool, calls chat completions, and on a
 * quota refusal marks that model exhausted and moves to the next one at once (a refusal never uses
 * up a retry; only the batch's cancel or deadline ends the wait for a model). Every call becomes a
 * usage row and counts in the batch's {@code llm} summary section. Never throws for a downstream
 * problem: each outcome is the item's result, so one item cannot affect another.
 */
public final class LlmItemRunner implements ItemProcedure {

    private static final Logger LOG = LoggerFactory.getLogger(LlmItemRunner.class);
    /** How often a call waiting for a model looks at its batch's stop signal. */
    private static final long STOP_CHECK_MS = 200;

    private final LlmSettings settings;
    private final ModelPool pool;
    private final TargetCaller caller;
    private final UsageStore usage;
    private final AutoConcurrency concurrency;

    public LlmItemRunner(LlmSettings settings, ModelPool pool, TargetCaller caller, UsageStore usage, AutoConcurrency concurrency) {
        this.settings = settings;
        this.pool = pool;
        this.caller = caller;
        this.usage = usage;
        this.concurrency = concurrency;
    }

    @Override
    public ItemResult run(BatchRun run, BatchItem item) {
        ensureSummarySection(run);
        long start = System.nanoTime();
        Calls calls = new Calls();
        boolean jumpQueue = false;
        int retriesUsed = 0;
        while (true) {
            ModelPool.Grant grant = awaitModel(run, jumpQueue);
            if (grant == null) {
                return calls.result(item, ItemStatus.CANCELLED, elapsedMs(start));
            }
            String model = grant.model().name();
            long callStart = System.nanoTime();
            CallOutcome outcome;
            try {
                outcome = caller.call(request(model, run, item), settings.timeout()).join();
            } finally {
                grant.release();
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - callStart);
            LlmAnswer answer = LlmAnswer.of(outcome);
            calls.add(model, answer, settings.price(model).cost(answer.inputTokens(), answer.outputTokens()),
                    settings.scrub(answer.error()));
            record(run, item, calls, latency);
            switch (answer.kind()) {
                case SUCCEEDED -> {
                    concurrency.observe(latency);
                    return calls.result(item, ItemStatus.SUCCEEDED, elapsedMs(start));
                }
                case FAILED -> {
                    return calls.result(item, ItemStatus.FAILED, elapsedMs(start));
                }
                case QUOTA -> {
                    Duration exhaustedFor = answer.retryAfter() == null || answer.retryAfter().isZero()
                            ? settings.cooldown() : answer.retryAfter();
                    pool.exhaust(model, exhaustedFor);
                    LOG.info("model {} exhausted for {} ms ({}); its calls move to the next model", model, exhaustedFor.toMillis(),
                            calls.error);
                    jumpQueue = true;
                }
                case RETRYABLE -> {
                    if (retriesUsed >= settings.retries()) {
                        return calls.result(item, ItemStatus.FAILED, elapsedMs(start));
                    }
                    if (!run.pause(backoff(settings.retryDelay(), retriesUsed++))) {
                        return calls.result(item, ItemStatus.CANCELLED, elapsedMs(start));
                    }
                    jumpQueue = false;
                }
            }
        }
    }

    /** Waits for a model; null when the batch stops first (cancel, deadline, shutdown). */
    private ModelPool.Grant awaitModel(BatchRun run, boolean jumpQueue) {
        if (run.isStopping()) {
            return null;
        }
        CompletableFuture<ModelPool.Grant> waiter = pool.acquire(jumpQueue);
        while (true) {
            try {
                ModelPool.Grant grant = waiter.get(STOP_CHECK_MS, TimeUnit.MILLISECONDS);
                if (run.isStopping()) {
                    grant.release();
                    return null;
                }
                return grant;
            } catch (TimeoutException e) {
                if (run.isStopping()) {
                    pool.cancel(waiter);
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.cancel(waiter);
                return null;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a model grant cannot fail", e);
            }
        }
    }

    /** The chat-completions request; the item's params (prompt or messages) over the batch's (temperature, maxTokens). */
    private ResolvedRequest request(String model, BatchRun run, BatchItem item) {
        ObjectNode params = Json.object();
        if (run.spec().params() != null) {
            params.setAll(run.spec().params());
        }
        if (item.params() != null) {
            params.setAll(item.params());
        }
        ObjectNode body = Json.object();
        body.put("model", model);
        if (params.hasNonNull("messages")) {
            body.set("messages", params.get("messages"));
        } else {
            ArrayNode messages = body.putArray("messages");
            ObjectNode message = messages.addObject();
            message.put("role", "user");
            message.set("content", params.get("prompt"));
        }
        if (params.hasNonNull("temperature")) {
            body.set("temperature", params.get("temperature"));
        }
        if (params.hasNonNull("maxTokens")) {
            body.set("max_tokens", params.get("maxTokens"));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (!settings.apiKey().isEmpty()) {
            headers.put("Authorization", "Bearer " + settings.apiKey());
        }
        return new ResolvedRequest("POST", settings.completionsUrl(), null, headers, body.toString());
    }

    /** The usage row of the last call, and its count in the batch summary. */
    private void record(BatchRun run, BatchItem item, Calls calls, Duration latency) {
        JsonNode metadata = run.spec().metadata();
        UsageRow row = new UsageRow(run.id(), item.index(), item.id().toString(), run.spec().operations().get(0), calls.model,
                calls.status, calls.answer.httpStatus(), calls.answer.inputTokens(), calls.answer.outputTokens(), calls.lastCost,
                latency.toMillis(), calls.error, metadata == null ? null : metadata.toString(), System.currentTimeMillis());
        try {
            usage.record(row);
        } catch (StoreException e) {
            LOG.warn("usage row of batch {} item {} (model {}) not stored: {}", run.id(), item.index(), calls.model, e.getMessage());
        }
        run.updateSection(BatchUsageSection.class, section -> section.add(calls.model, calls.status, 1,
                calls.answer.inputTokens(), calls.answer.outputTokens(), calls.lastCost));
    }

    /** The batch's {@code llm} summary section, built from its usage rows the first time (a resumed batch continues from them). */
    private void ensureSummarySection(BatchRun run) {
        if (run.section(BatchUsageSection.class) != null) {
            return;
        }
        BatchUsageSection section = BatchUsageSection.of(usage.byModel(run.id()));
        run.updateSection(BatchUsageSection.class, current -> current != null ? current : section);
    }

    /** The calls made for one item so far: the last answer, and tokens and cost over all of them. */
    private static final class Calls {
        private int attempts;
        private long inputTokens;
        private long outputTokens;
        private BigDecimal cost = BigDecimal.ZERO;
        private BigDecimal lastCost;
        private String model;
        private UsageRow.Status status;
        private String error;
        private LlmAnswer answer;

        void add(String calledModel, LlmAnswer calledAnswer, BigDecimal callCost, String scrubbedError) {
            attempts++;
            model = calledModel;
            answer = calledAnswer;
            lastCost = callCost;
            error = scrubbedError;
            inputTokens += calledAnswer.inputTokens();
            outputTokens += calledAnswer.outputTokens();
            cost = cost.add(callCost);
            status = switch (calledAnswer.kind()) {
                case SUCCEEDED -> UsageRow.Status.SUCCEEDED;
                case QUOTA -> UsageRow.Status.RATE_LIMITED;
                default -> UsageRow.Status.FAILED;
            };
        }

        /** The item's result: the engine's fields plus the LLM batch API's (success, content, data, model, tokens, costUsd). */
        ItemResult result(BatchItem item, ItemStatus itemStatus, long durationMs) {
            ObjectNode extra = Json.object();
            extra.put("success", itemStatus == ItemStatus.SUCCEEDED);
            if (itemStatus == ItemStatus.SUCCEEDED) {
                extra.put("content", answer.content());
                extra.set("data", answer.data());
            }
            extra.put("model", model);
            ObjectNode tokens = extra.putObject("tokens");
            tokens.put("input", inputTokens);
            tokens.put("output", outputTokens);
            extra.put("costUsd", cost.stripTrailingZeros());
            String itemError = switch (itemStatus) {
                case SUCCEEDED -> null;
                case CANCELLED -> answer == null ? null : "cancelled before a further call; the last one ended: " + error;
                default -> error;
            };
            return new ItemResult(item.index(), item.id(), itemStatus, answer == null ? null : answer.httpStatus(), attempts,
                    durationMs, itemError, null, ItemResult.Details.fields(extra));
        }
    }

    /** Exponential backoff from {@code base}, doubled per retry, with ±20 % jitter so retries don't align. */
    private static Duration backoff(Duration base, int retry) {
        long nanos = base.toNanos() << Math.min(retry, 16);
        return Duration.ofNanos((long) (nanos * (0.8 + ThreadLocalRandom.current().nextDouble() * 0.4)));
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
