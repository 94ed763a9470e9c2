package dev.batchgate.batch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.ratelimit.RateLimiter;
import dev.batchgate.target.CallOutcome;
import dev.batchgate.target.OperationConfig;
import dev.batchgate.target.RequestTemplate;
import dev.batchgate.target.ResolvedRequest;
import dev.batchgate.target.TargetCaller;
import dev.batchgate.target.TargetConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one item: its operation (or, for a composite, each step in order until one fails), each call
 * under the target's rate limiter with retries, backoff and jitter. Never throws for a downstream
 * problem: every outcome becomes an {@link ItemResult}, so one item cannot affect another.
 */
public final class ItemRunner {

    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private final TargetCaller caller;

    public ItemRunner(TargetCaller caller) {
        this.caller = caller;
    }

    public ItemResult run(BatchRun run, BatchItem item) {
        List<String> operations = run.spec().operations();
        if (operations.size() == 1) {
            Attempts attempts = call(run, item, operations.get(0), false);
            return attempts.toResult(item);
        }
        long start = System.nanoTime();
        ArrayNode steps = Json.MAPPER.createArrayNode();
        Attempts last = null;
        int totalAttempts = 0;
        for (String operation : operations) {
            last = call(run, item, operation, false);
            totalAttempts += last.attempts;
            steps.add(last.toStep(operation));
            if (last.status != ItemStatus.SUCCEEDED) {
                break;
            }
        }
        ObjectNode extra = Json.object();
        extra.set("steps", steps);
        return new ItemResult(item.index(), item.id(), last.status, last.outcome == null ? null : last.outcome.httpStatus(),
                totalAttempts, elapsedMs(start), last.error(), last.status == ItemStatus.SUCCEEDED ? last.outcome.body() : null,
                extra);
    }

    /**
     * Calls {@code operation} for {@code item} until it succeeds, fails for good, runs out of
     * retries or the batch stops. A 429 pauses the whole target and does not use up a retry.
     */
    public Attempts call(BatchRun run, BatchItem item, String operation, boolean rollback) {
        TargetConfig target = run.target().config();
        OperationConfig op = target.operation(operation);
        ResolvedRequest request = resolve(run.id(), target, op, item, rollback);
        RateLimiter limiter = run.target().limiter();
        long start = System.nanoTime();
        int attempts = 0;
        int retriesUsed = 0;
        CallOutcome outcome = null;
        while (true) {
            RateLimiter.Permit permit = run.acquire(limiter);
            if (permit == null) {
                return new Attempts(ItemStatus.CANCELLED, outcome, attempts, elapsedMs(start));
            }
            attempts++;
            try {
                outcome = caller.call(request, target.timeout()).join();
            } finally {
                permit.release();
            }
            switch (outcome.kind()) {
                case SUCCEEDED -> {
                    limiter.recordSuccess();
                    return new Attempts(ItemStatus.SUCCEEDED, outcome, attempts, elapsedMs(start));
                }
                case FAILED -> {
                    return new Attempts(ItemStatus.FAILED, outcome, attempts, elapsedMs(start));
                }
                case RATE_LIMITED -> limiter.pause(outcome.retryAfter() != null ? outcome.retryAfter()
                        : backoff(target.retryDelay(), retriesUsed));
                case RETRYABLE -> {
                    if (retriesUsed >= target.retries()) {
                        return new Attempts(ItemStatus.FAILED, outcome, attempts, elapsedMs(start));
                    }
                    if (!run.pause(retryDelay(backoff(target.retryDelay(), retriesUsed++), outcome.retryAfter()))) {
                        return new Attempts(ItemStatus.CANCELLED, outcome, attempts, elapsedMs(start));
                    }
                }
            }
        }
    }

    /** The calls made for one operation of one item, and how they ended. */
    public record Attempts(ItemStatus status, CallOutcome outcome, int attempts, long durationMs) {

        String error() {
            if (status == ItemStatus.SUCCEEDED) {
                return null;
            }
            if (status == ItemStatus.CANCELLED) {
                return outcome == null ? null : "cancelled before retrying: " + outcome.error();
            }
            return outcome.error();
        }

        ItemResult toResult(BatchItem item) {
            return new ItemResult(item.index(), item.id(), status, outcome == null ? null : outcome.httpStatus(), attempts,
                    durationMs, error(), status == ItemStatus.SUCCEEDED ? outcome.body() : null, null);
        }

        ObjectNode toStep(String operation) {
            ObjectNode step = Json.object();
            step.put("operation", operation);
            step.put("status", status.wire());
            if (outcome != null && outcome.httpStatus() != null) {
                step.put("httpStatus", outcome.httpStatus());
            }
            step.put("attempts", attempts);
            step.put("durationMs", durationMs);
            if (error() != null) {
                step.put("error", error());
            }
            return step;
        }
    }

    /** The request for one item; changing calls carry an idempotency key that is the same on every retry. */
    public static ResolvedRequest resolve(String batchId, TargetConfig target, OperationConfig op, BatchItem item,
                                          boolean rollback) {
        String body = op.bodyTemplate() != null
                ? RequestTemplate.body(op.bodyTemplate(), item.id(), item.params())
                : RequestTemplate.paramsBody(item.params());
        Map<String, String> headers = new LinkedHashMap<>(target.headers());
        if (op.isChanging()) {
            headers.put("Idempotency-Key", idempotencyKey(batchId, item, (rollback ? "rollback-" : "") + op.name()));
        }
        if (!op.isHttp()) {
            return new ResolvedRequest(null, null, op.endpointUri(), headers, body);
        }
        String url = target.url() + RequestTemplate.path(op.path(), item.id(), item.params());
        return new ResolvedRequest(op.method(), url, null, headers, body);
    }

    public static String idempotencyKey(String batchId, BatchItem item, String operation) {
        return batchId + ":" + URLEncoder.encode(item.key(), StandardCharsets.UTF_8).replace("+", "%20") + ":" + operation;
    }

    /** The wait before a retry: the backoff, or the downstream's longer Retry-After, capped like a 429 pause. */
    static Duration retryDelay(Duration backoff, Duration retryAfter) {
        if (retryAfter == null || retryAfter.compareTo(backoff) <= 0) {
            return backoff;
        }
        return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }

    /** Exponential backoff from {@code base}, doubled per retry, with ±20 % jitter so retries don't align. */
    static Duration backoff(Duration base, int retry) {
        long nanos = base.toNanos() << Math.min(retry, 16);
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofNanos((long) (nanos * jitter));
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
