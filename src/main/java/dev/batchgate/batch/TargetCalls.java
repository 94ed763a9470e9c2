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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Makes one request to a batch's target until it succeeds, fails for good, runs out of retries or the
 * batch stops: each attempt under the target's rate limiter, retries with backoff and jitter, a 429
 * pausing the whole target without using up a retry. One loop serves both kinds of caller: an
 * asynchronous one holds no thread while it waits for a permit or an answer, a blocking one keeps its
 * attempts and waits on its own thread.
 */
public final class TargetCalls {

    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private final TargetCaller caller;
    private volatile CallObserver observer = CallObserver.NONE;

    TargetCalls(TargetCaller caller) {
        this.caller = caller;
    }

    void observe(CallObserver callObserver) {
        this.observer = callObserver;
    }

    /** The call on this thread, which may wait (a check, an await, a rollback, a procedure). */
    Attempts call(BatchRun run, ResolvedRequest request) {
        CallerThread here = new CallerThread();
        Call call = new Call(run, request, here, here);
        turn(call, call.start);
        return here.await(call.result);
    }

    /**
     * The call without holding a thread while it waits for its permit and its answer; the waits
     * between attempts (a retry's backoff, a 429 pause) run on {@code blocking}.
     */
    CompletableFuture<Attempts> callAsync(BatchRun run, ResolvedRequest request, Executor blocking) {
        Call call = new Call(run, request, null, blocking);
        turn(call, call.start);
        return call.result;
    }

    /**
     * One call's state through its attempts. {@code home} is where an attempt goes on once a waited-for
     * permit comes (null: on the thread granting it); {@code waits} where the waits between attempts run.
     */
    private static final class Call {
        final BatchRun run;
        final ResolvedRequest request;
        final Executor home;
        final Executor waits;
        final long start = System.nanoTime();
        final CompletableFuture<Attempts> result = new CompletableFuture<>();
        int attempts;
        int retriesUsed;
        CallOutcome outcome;

        Call(BatchRun run, ResolvedRequest request, Executor home, Executor waits) {
            this.run = run;
            this.request = request;
            this.home = home;
            this.waits = waits;
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

    /** The loop: a permit, an attempt, then the call's end or, after a wait, the next turn. */
    private void turn(Call call, long waitStart) {
        try {
            CompletableFuture<RateLimiter.Permit> permit = call.run.acquireAsync(call.run.target().limiter());
            if (permit.isDone()) {
                withPermit(call, permit.join(), waitStart);
            } else if (call.home == null) {
                permit.whenComplete((granted, failure) -> withPermit(call, granted, failure, waitStart));
            } else {
                permit.whenCompleteAsync((granted, failure) -> withPermit(call, granted, failure, waitStart), call.home);
            }
        } catch (RuntimeException e) {
            call.result.completeExceptionally(e);
        }
    }

    /** A waited-for permit, or the failure that ended the wait: the call ends with it rather than never. */
    private void withPermit(Call call, RateLimiter.Permit permit, Throwable failure, long waitStart) {
        if (failure != null) {
            call.result.completeExceptionally(failure);
            return;
        }
        withPermit(call, permit, waitStart);
    }

    private void withPermit(Call call, RateLimiter.Permit permit, long waitStart) {
        if (permit == null) {
            call.result.complete(call.cancelled());
            return;
        }
        CompletableFuture<CallOutcome> outcome;
        try {
            outcome = attempt(call, permit, waitStart);
        } catch (RuntimeException e) {
            call.result.completeExceptionally(e);
            return;
        }
        outcome.whenComplete((answer, failure) -> settle(call, answer, failure));
    }

    private void settle(Call call, CallOutcome answer, Throwable failure) {
        if (failure != null) {
            call.result.completeExceptionally(failure);
            return;
        }
        Attempts done = call.settledAt(answer);
        if (done != null) {
            call.result.complete(done);
            return;
        }
        try {
            call.waits.execute(() -> nextTurn(call));
        } catch (RuntimeException e) {
            call.result.completeExceptionally(e);
        }
    }

    private void nextTurn(Call call) {
        try {
            Attempts end = waitBeforeNextAttempt(call);
            if (end != null) {
                call.result.complete(end);
                return;
            }
        } catch (RuntimeException e) {
            call.result.completeExceptionally(e);
            return;
        }
        turn(call, System.nanoTime());
    }

    /**
     * After a 429 (the whole target pauses; no retry used up) or a retryable failure (backoff): null
     * when another attempt follows, else how the call ends.
     */
    private static Attempts waitBeforeNextAttempt(Call call) {
        BatchRun run = call.run;
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
    private CompletableFuture<CallOutcome> attempt(Call call, RateLimiter.Permit permit, long waitStart) {
        TargetConfig target = call.run.target().config();
        RateLimiter limiter = call.run.target().limiter();
        long callStart = System.nanoTime();
        observer.permitGranted(target.name(), callStart - waitStart);
        call.attempts++;
        CompletableFuture<CallOutcome> outcome;
        try {
            outcome = caller.call(call.request, target.timeout());
        } catch (RuntimeException e) {
            permit.release();
            throw e;
        }
        return outcome.whenComplete((answer, failure) -> {
            try {
                if (answer != null) {
                    recordHealth(limiter, answer);
                }
            } finally {
                permit.release();
            }
            if (answer != null) {
                observer.called(target.name(), answer, System.nanoTime() - callStart);
            }
        });
    }

    /**
     * The tasks of one blocking call, run by the thread that waits for it: its attempts after a
     * waited-for permit and its waits between attempts stay on that thread, never on an event loop.
     */
    private static final class CallerThread implements Executor {
        private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        Attempts await(CompletableFuture<Attempts> result) {
            result.whenComplete((done, failure) -> tasks.add(() -> {
            }));
            boolean interrupted = false;
            while (!result.isDone()) {
                try {
                    tasks.take().run();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            try {
                return result.join();
            } catch (CompletionException e) {
                // a blocking call throws what went wrong, as a call made on this thread would
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
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
