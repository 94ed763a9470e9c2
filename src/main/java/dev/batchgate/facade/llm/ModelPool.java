package dev.batchgate.facade.llm;

import dev.batchgate.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The LLM models in priority order, each with its own rate limiter, shared by every LLM batch.
 * A waiting call gets the highest-priority model that may start now; when none may, the first model
 * to come free (the pool's earliest permit). A model that answered 429 or a quota error is
 * exhausted until its Retry-After and skipped until then; with every model exhausted calls wait,
 * they never fail for it. Waiters are served first come, first served (each batch has at most its
 * concurrency waiting, so no batch can crowd out another).
 */
public final class ModelPool {

    /** A wrong Retry-After must not park a model for days. */
    static final Duration MAX_EXHAUSTION = Duration.ofHours(1);

    private final List<Model> models;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<CompletableFuture<Grant>> waiters = new ArrayDeque<>();
    private ScheduledFuture<?> wakeUp;
    private long wakeUpAt;

    /** One model of the pool; {@code exhaustedUntil} (System.nanoTime) is guarded by the pool. */
    public static final class Model {
        private final ModelSpec spec;
        private final int priority;
        private final RateLimiter limiter;
        private long exhaustedUntil = Long.MIN_VALUE;

        private Model(ModelSpec spec, int priority, RateLimiter limiter) {
            this.spec = spec;
            this.priority = priority;
            this.limiter = limiter;
        }

        public String name() {
            return spec.name();
        }

        public int rpm() {
            return spec.rpm();
        }

        public int priority() {
            return priority;
        }
    }

    /** What a model looks like right now, for {@code GET /v1/llm/models}. */
    public record ModelState(String name, int priority, int rpm, long exhaustedForMs, long startedLastMinute, int inFlight) {
    }

    /**
     * @param limiters makes the rate limiter of each model (in batchgate: {@code TargetRegistry.newLimiter})
     * @param timer    wakes the pool when the next model comes free
     */
    public ModelPool(List<ModelSpec> specs, Function<ModelSpec, RateLimiter> limiters, ScheduledExecutorService timer) {
        List<Model> list = new ArrayList<>();
        for (ModelSpec spec : specs) {
            list.add(new Model(spec, list.size() + 1, limiters.apply(spec)));
        }
        this.models = List.copyOf(list);
        this.timer = timer;
        // a model whose call ended, whose next start came due or was reserved (cluster mode) wakes the pool
        models.forEach(m -> m.limiter.onDispatch(this::dispatch));
    }

    public List<Model> models() {
        return models;
    }

    /**
     * Completes with a model and leave to start one call on it. {@code jumpQueue} puts the caller
     * first in line: a call that was just refused with a 429 moves to the next model at once.
     */
    public CompletableFuture<Grant> acquire(boolean jumpQueue) {
        CompletableFuture<Grant> waiter = new CompletableFuture<>();
        synchronized (this) {
            if (jumpQueue) {
                waiters.addFirst(waiter);
            } else {
                waiters.addLast(waiter);
            }
        }
        dispatch();
        return waiter;
    }

    /** Stops waiting (the batch is stopping); a grant that arrived meanwhile is handed back. */
    public void cancel(CompletableFuture<Grant> waiter) {
        synchronized (this) {
            waiters.remove(waiter);
        }
        if (!waiter.cancel(false)) {
            waiter.join().release();
        }
    }

    /** The model answered 429 or a quota error: nobody gets it before {@code duration} has passed. */
    public void exhaust(String model, Duration duration) {
        Duration capped = duration.compareTo(MAX_EXHAUSTION) > 0 ? MAX_EXHAUSTION : duration;
        synchronized (this) {
            long until = System.nanoTime() + capped.toNanos();
            for (Model m : models) {
                if (m.name().equals(model)) {
                    m.exhaustedUntil = Math.max(m.exhaustedUntil, until);
                }
            }
        }
        dispatch();
    }

    public synchronized List<ModelState> snapshot() {
        long now = System.nanoTime();
        List<ModelState> states = new ArrayList<>();
        for (Model m : models) {
            RateLimiter.Snapshot s = m.limiter.snapshot();
            long exhaustedMs = m.exhaustedUntil > now ? TimeUnit.NANOSECONDS.toMillis(m.exhaustedUntil - now) : 0;
            states.add(new ModelState(m.name(), m.priority, m.rpm(), exhaustedMs, s.startedLastMinute(), s.inFlight()));
        }
        return states;
    }

    public synchronized int waiting() {
        return waiters.size();
    }

    private void dispatch() {
        List<Map.Entry<CompletableFuture<Grant>, Grant>> granted = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            while (!waiters.isEmpty()) {
                if (waiters.peekFirst().isDone()) {
                    waiters.pollFirst();
                    continue;
                }
                Grant grant = firstFreeModel(now);
                if (grant == null) {
                    scheduleWakeUp(now);
                    break;
                }
                granted.add(Map.entry(waiters.pollFirst(), grant));
            }
        }
        for (Map.Entry<CompletableFuture<Grant>, Grant> e : granted) {
            if (!e.getKey().complete(e.getValue())) {
                e.getValue().release();
            }
        }
    }

    private Grant firstFreeModel(long now) {
        for (Model m : models) {
            if (m.exhaustedUntil > now) {
                continue;
            }
            RateLimiter.Permit permit = m.limiter.tryAcquire();
            if (permit != null) {
                return new Grant(m, permit);
            }
        }
        return null;
    }

    /** Wakes the pool when the first model's rate or exhaustion allows a start; models full of calls wake it on release. */
    private void scheduleWakeUp(long now) {
        long earliest = Long.MAX_VALUE;
        for (Model m : models) {
            long at = Math.max(m.exhaustedUntil, now + m.limiter.untilNextStart().toNanos());
            if (at > now) {
                earliest = Math.min(earliest, at);
            }
        }
        // a wake-up still ahead that comes soon enough stays; one due now may be this very timer run
        boolean pending = wakeUp != null && wakeUpAt > now;
        if (earliest == Long.MAX_VALUE || pending && wakeUpAt <= earliest) {
            return;
        }
        if (pending) {
            wakeUp.cancel(false);
        }
        wakeUpAt = earliest;
        wakeUp = timer.schedule(this::dispatch, earliest - now, TimeUnit.NANOSECONDS);
    }

    /** Leave to start one call on {@code model}; release it when the call is over. */
    public static final class Grant {
        private final Model model;
        private final RateLimiter.Permit permit;

        private Grant(Model model, RateLimiter.Permit permit) {
            this.model = model;
            this.permit = permit;
        }

        public Model model() {
            return model;
        }

        /** The model's limiter then wakes the pool. */
        public void release() {
            permit.release();
        }
    }
}
