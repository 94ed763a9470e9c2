package dev.batchgate.batch;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one item: its operation (or, for a composite, each step in order until one fails), each call
 * under the target's rate limiter with retries, backoff and jitter; checks, awaits, chain stages and
 * rollbacks are the {@link StepRunner}'s. Never throws for a downstream problem: every outcome
 * becomes an {@link ItemResult}, so one item cannot affect another.
 */
public final class ItemRunner {

    private final TargetCaller caller;
    private volatile CallObserver observer = CallObserver.NONE;
    private final StepRunner steps = new StepRunner(this);
    private final Map<String, ItemProcedure> procedures = new ConcurrentHashMap<>();

    public ItemRunner(TargetCaller caller) {
        this.caller = caller;
    }

    /** Who hears of every attempt (the metrics). */
    public void observeCalls(CallObserver observer) {
        this.observer = observer;
    }

    /** Runs an item in its batch's current phase: the checks of a transaction, a stage, or the rollback. */
    public ItemResult run(BatchRun run, WorkItem work) {
        PhasePlan.Phase phase = run.phase();
        return switch (phase.kind()) {
            case CHECKS -> steps.checks(run, work.item());
            case RUN -> run.plan().isChain()
                    ? steps.stage(run, work.item(), run.plan().stage(phase.stage()).operations(), work.previous())
                    : run(run, work.item());
            case ROLLBACK -> steps.rollback(run, work);
        };
    }

    /** Runs {@code operation} on {@code target} with {@code procedure} instead of one configured call. */
    public void registerProcedure(String target, String operation, ItemProcedure procedure) {
        procedures.put(target + "/" + operation, procedure);
    }

    /** Runs every operation of {@code target} with {@code procedure} (a built-in target such as the LLM pool). */
    public void registerProcedure(String target, ItemProcedure procedure) {
        procedures.put(target + "/*", procedure);
    }

    /** Runs a plain or composite batch's operations on one item: each step checked, called and awaited in order. */
    public ItemResult run(BatchRun run, BatchItem item) {
        List<String> operations = run.spec().operations();
        ItemProcedure procedure = operations.size() == 1 ? procedures.get(run.spec().target() + "/" + operations.get(0)) : null;
        if (procedure == null) {
            procedure = procedures.get(run.spec().target() + "/*");
        }
        if (procedure != null) {
            return procedure.run(run, item);
        }
        return steps.stage(run, item, operations, null);
    }

    /**
     * Calls {@code operation} for {@code item} until it succeeds, fails for good, runs out of
     * retries or the batch stops. A 429 pauses the whole target and does not use up a retry.
     */
    public Attempts call(BatchRun run, BatchItem item, String operation, boolean rollback) {
        TargetConfig target = run.target().config();
        OperationConfig op = target.operation(operation);
        return call(run, resolve(run.id(), target, op, item, rollback));
    }

    /** Makes one resolved request to the batch's target, with the same limiter, retries and stop handling. */
    public Attempts call(BatchRun run, ResolvedRequest request) {
        TargetConfig target = run.target().config();
        RateLimiter limiter = run.target().limiter();
        long start = System.nanoTime();
        int attempts = 0;
        int retriesUsed = 0;
        CallOutcome outcome = null;
        while (true) {
            long waitStart = System.nanoTime();
            RateLimiter.Permit permit = run.acquire(limiter);
            if (permit == null) {
                return new Attempts(ItemStatus.CANCELLED, outcome, attempts, elapsedMs(start));
            }
            long callStart = System.nanoTime();
            observer.permitGranted(target.name(), callStart - waitStart);
            attempts++;
            try {
                outcome = caller.call(request, target.timeout()).join();
                recordHealth(limiter, outcome);
            } finally {
                permit.release();
            }
            observer.called(target.name(), outcome, System.nanoTime() - callStart);
            switch (outcome.kind()) {
                case SUCCEEDED -> {
                    return new Attempts(ItemStatus.SUCCEEDED, outcome, attempts, elapsedMs(start));
                }
                case FAILED -> {
                    return new Attempts(ItemStatus.FAILED, outcome, attempts, elapsedMs(start));
                }
                case RATE_LIMITED -> limiter.pause(outcome.retryAfter() != null ? outcome.retryAfter()
                        : backoff(target.retryDelay(), retriesUsed));
                case RETRYABLE -> {
                    if (run.isShuttingDown()) {
                        // not a verdict on the item: it stays pending and runs again after the restart
                        return new Attempts(ItemStatus.CANCELLED, outcome, attempts, elapsedMs(start));
                    }
                    if (retriesUsed >= target.retries()) {
                        return new Attempts(ItemStatus.FAILED, outcome, attempts, elapsedMs(start));
                    }
                    Duration delay = backoff(target.retryDelay(), retriesUsed++);
                    if (outcome.retryAfter() != null && outcome.retryAfter().compareTo(delay) > 0) {
                        delay = outcome.retryAfter();
                    }
                    if (!run.pause(delay)) {
                        return new Attempts(ItemStatus.CANCELLED, outcome, attempts, elapsedMs(start));
                    }
                }
            }
        }
    }

    /** Feeds the target's circuit breaker (and its rate recovery after a 429) before the permit is handed back. */
    static void recordHealth(RateLimiter limiter, CallOutcome outcome) {
        switch (outcome.kind()) {
            case SUCCEEDED -> limiter.recordSuccess();
            case RETRYABLE -> limiter.recordFailure();
            case FAILED -> {
                if (outcome.httpStatus() != null) {
                    limiter.recordSuccess();
                }
            }
            case RATE_LIMITED -> {
                // the rate limiter's own business (pause), not a sign the target is down
            }
        }
    }

    /** The calls made for one operation of one item, and how they ended. */
    public record Attempts(ItemStatus status, CallOutcome outcome, int attempts, long durationMs) {

        public String error() {
            if (status == ItemStatus.SUCCEEDED) {
                return null;
            }
            if (status == ItemStatus.CANCELLED) {
                return outcome == null ? null : "cancelled before retrying: " + outcome.error();
            }
            return outcome.error();
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
