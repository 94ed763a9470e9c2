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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one item: its operation (or, for a composite, each step in order until one fails), each call
 * under the target's rate limiter with retries, backoff and jitter; checks, awaits, chain stages and
 * rollbacks are the {@link StepRunner}'s. Never throws for a downstream problem: every outcome
 * becomes an {@link ItemResult}, so one item cannot affect another.
 */
public final class ItemRunner {

    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

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

    /**
     * {@link #run(BatchRun, WorkItem)} without holding a thread for the usual item: one plain call,
     * no check, await, chain or procedure. Every other item runs on {@code blocking}.
     */
    public CompletableFuture<ItemResult> runAsync(BatchRun run, WorkItem work, Executor blocking) {
        OperationConfig op = plainCall(run);
        if (op == null) {
            return CompletableFuture.supplyAsync(() -> run(run, work), blocking);
        }
        return steps.callOnly(run, work.item(), op, blocking);
    }

    /** The operation when the current phase runs it as one plain call per item, else null. */
    private OperationConfig plainCall(BatchRun run) {
        List<String> operations = run.spec().operations();
        if (run.phase().kind() != PhasePlan.Kind.RUN || run.plan().isChain() || operations.size() != 1
                || procedureFor(run) != null) {
            return null;
        }
        OperationConfig op = run.target().config().operation(operations.get(0));
        return op == null || op.check() != null || op.await() != null ? null : op;
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
        ItemProcedure procedure = procedureFor(run);
        return procedure != null ? procedure.run(run, item) : steps.stage(run, item, run.spec().operations(), null);
    }

    /** The procedure registered for the batch's single operation, else for its whole target, else null. */
    private ItemProcedure procedureFor(BatchRun run) {
        List<String> operations = run.spec().operations();
        ItemProcedure procedure = operations.size() == 1 ? procedures.get(run.spec().target() + "/" + operations.get(0)) : null;
        return procedure != null ? procedure : procedures.get(run.spec().target() + "/*");
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
        return callFrom(run, request, new Call(System.nanoTime()));
    }

    /**
     * {@link #call} whose first attempt holds no thread while it waits for its permit and its answer;
     * when that attempt must be followed by another (a retry, a 429), the rest runs on {@code blocking}.
     */
    CompletableFuture<Attempts> callAsync(BatchRun run, ResolvedRequest request, Executor blocking) {
        Call call = new Call(System.nanoTime());
        return run.acquireAsync(run.target().limiter()).thenCompose(permit -> {
            if (permit == null) {
                return CompletableFuture.completedFuture(call.cancelled());
            }
            return attempt(run, request, permit, call, call.start).thenCompose(outcome -> {
                Attempts done = call.settledAt(outcome);
                return done != null ? CompletableFuture.completedFuture(done)
                        : CompletableFuture.supplyAsync(() -> callFrom(run, request, call), blocking);
            });
        });
    }

    /** The attempts of one call so far. */
    private static final class Call {
        final long start;
        int attempts;
        int retriesUsed;
        CallOutcome outcome;

        Call(long start) {
            this.start = start;
        }

        /** The call's end when {@code last} ends it (a success, a failure that is final), else null. */
        Attempts settledAt(CallOutcome last) {
            outcome = last;
            return switch (last.kind()) {
                case SUCCEEDED -> new Attempts(ItemStatus.SUCCEEDED, last, attempts, elapsedMs(start));
                case FAILED -> new Attempts(ItemStatus.FAILED, last, attempts, elapsedMs(start));
                case RATE_LIMITED, RETRYABLE -> null;
            };
        }

        Attempts cancelled() {
            return new Attempts(ItemStatus.CANCELLED, outcome, attempts, elapsedMs(start));
        }

        Attempts failed() {
            return new Attempts(ItemStatus.FAILED, outcome, attempts, elapsedMs(start));
        }
    }

    /** Goes on with {@code call} until it succeeds, fails for good, runs out of retries or the batch stops. */
    private Attempts callFrom(BatchRun run, ResolvedRequest request, Call call) {
        while (true) {
            if (call.outcome != null) {
                Attempts end = waitBeforeNextAttempt(run, call);
                if (end != null) {
                    return end;
                }
            }
            long waitStart = System.nanoTime();
            RateLimiter.Permit permit = run.acquire(run.target().limiter());
            if (permit == null) {
                return call.cancelled();
            }
            Attempts done = call.settledAt(attempt(run, request, permit, call, waitStart).join());
            if (done != null) {
                return done;
            }
        }
    }

    /**
     * After a 429 (the whole target pauses; no retry used up) or a retryable failure (backoff): null
     * when another attempt follows, else how the call ends.
     */
    private static Attempts waitBeforeNextAttempt(BatchRun run, Call call) {
        TargetConfig target = run.target().config();
        CallOutcome outcome = call.outcome;
        if (outcome.kind() == CallOutcome.Kind.RATE_LIMITED) {
            run.target().limiter().pause(outcome.retryAfter() != null ? outcome.retryAfter()
                    : backoff(target.retryDelay(), call.retriesUsed));
            return null;
        }
        if (run.isShuttingDown()) {
            // not a verdict on the item: it stays pending and runs again after the restart
            return call.cancelled();
        }
        if (call.retriesUsed >= target.retries()) {
            return call.failed();
        }
        return run.pause(retryDelay(backoff(target.retryDelay(), call.retriesUsed++), outcome.retryAfter())) ? null : call.cancelled();
    }

    /** One attempt under {@code permit}: the permit goes back once the answer (or the failure) is in. */
    private CompletableFuture<CallOutcome> attempt(BatchRun run, ResolvedRequest request, RateLimiter.Permit permit, Call call,
                                                   long waitStart) {
        TargetConfig target = run.target().config();
        long callStart = System.nanoTime();
        observer.permitGranted(target.name(), callStart - waitStart);
        call.attempts++;
        CompletableFuture<CallOutcome> outcome;
        try {
            outcome = caller.call(request, target.timeout());
        } catch (RuntimeException e) {
            permit.release();
            throw e;
        }
        return outcome.whenComplete((answer, failure) -> {
            try {
                if (answer != null) {
                    recordHealth(run.target().limiter(), answer);
                }
            } finally {
                permit.release();
            }
            if (answer != null) {
                observer.called(target.name(), answer, System.nanoTime() - callStart);
            }
        });
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
