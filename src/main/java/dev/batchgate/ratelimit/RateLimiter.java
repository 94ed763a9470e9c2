package dev.batchgate.ratelimit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's request budget: at most {@code rpm} request starts in any 60-second window, spread
 * evenly, at most {@code concurrency} in flight, and waiting callers served round-robin by key (a
 * batch id) so that a large batch cannot starve a small one.
 *
 * <p>Two rules together give the guarantee: consecutive starts are at least 60 s / rpm apart (even,
 * no bursts, also after a wait for a free place), and a start is refused while the last {@code rpm}
 * starts all lie within the last 60 s plus a guard (so network jitter can never squeeze rpm + 1
 * starts into a window seen at the downstream).
 *
 * <p>The target's {@link CircuitBreaker} lives here too, so that every batch waits while the target
 * is down: an open circuit grants no permit until its cool-down is over, then a single probe.
 *
 * <p>In cluster mode ({@link #share}) each start also takes a start reserved from the target's shared
 * row, a few at a time, spaced {@code (60 s + 1 s) / rpm} apart across all nodes, so that no 60 s window
 * holds more than rpm starts from all of them together. A reserved start not taken within a short grace
 * of its time is dropped unused: later, it could come too close to another node's next one. A 429 pauses
 * the row as well, so the other nodes' next reservations wait for it too. The concurrency holds for the
 * cluster as well ({@link #shareSlots}): the node may have in flight only the share of the target's slots
 * it holds in the job store.
 */
public final class RateLimiter {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Margin on the hard window so that starts observed at the downstream stay within rpm. */
    private static final Duration DEFAULT_WINDOW_GUARD = Duration.ofMillis(250);
    /** How late a timer may wake on a busy machine; a start later than this after its slot was a wait. */
    private static final long TIMER_JITTER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RECOVERY_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Duration MAX_PAUSE = Duration.ofMinutes(5);
    private static final long SLOT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * The guard on the window in cluster mode: a reserved start may reach the downstream this much after
     * its time (a first call opens a connection; a new node runs code not compiled yet) and no 60 s
     * window at the downstream holds more than rpm; it costs 1.6 % of the rate.
     */
    private static final long CLUSTER_WINDOW_GUARD_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How soon a node rebalances its slots again while the nodes want more than the concurrency together. */
    private static final long CONTENDED_REBALANCE_MS = 200;
    /** The most starts reserved at once; at most about a second's worth is asked for. */
    private static final int MAX_RESERVED = 20;
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    private final String name;
    private final long windowGuardNanos;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private final RateMeter meter = new RateMeter();
    private final CircuitBreaker breaker = new CircuitBreaker(CircuitBreaker.Settings.DEFAULT, System::nanoTime);

    private Integer rpm;
    private double effectiveRpm;
    private int concurrency;
    private int inFlight;
    private long lastStart = Long.MIN_VALUE;
    private long nextStart = Long.MIN_VALUE;
    private long pausedUntil = Long.MIN_VALUE;
    private long lastRateChange;
    private final ArrayDeque<Long> recentStarts = new ArrayDeque<>();
    private final Map<String, ArrayDeque<CompletableFuture<Permit>>> queues = new HashMap<>();
    private final ArrayDeque<String> turnOrder = new ArrayDeque<>();
    private int waiting;
    private ScheduledFuture<?> wakeUp;
    private long wakeUpAt;
    private SharedRate shared;
    private Executor reservations;
    private final ArrayDeque<Long> reserved = new ArrayDeque<>();
    private boolean reserving;
    private SharedSlots slots;
    private Executor rebalances;
    /** Cluster mode: the calls this node may have in flight, as its share of the target's slots says. */
    private int slotLimit;
    /** The slots this node's row in the store holds (its share, or its calls in flight if more), and what the running rebalance writes. */
    private int slotsHeld;
    private int slotsWriting;
    /** The most calls in flight and waiting at once since the last rebalance: what the node wanted over that time. */
    private int slotsPeak;
    /**
     * Whether a rebalance of the slots is asked for off the tick: callers wait on this node's share (not its
     * concurrency), or the slots are contended.
     */
    private boolean slotsAsked;
    private boolean slotsFollowUp;
    private volatile Runnable onDispatch = () -> {
    };

    public RateLimiter(String name, Integer rpm, int concurrency, ScheduledExecutorService timer) {
        this(name, rpm, concurrency, timer, DEFAULT_WINDOW_GUARD, System::nanoTime);
    }

    /** @param windowGuard margin on the hard window, for downstreams reached with more jitter than usual */
    public RateLimiter(String name, Integer rpm, int concurrency, ScheduledExecutorService timer, Duration windowGuard) {
        this(name, rpm, concurrency, timer, windowGuard, System::nanoTime);
    }

    /** With a clock of its own: tests drive time by hand. */
    RateLimiter(String name, Integer rpm, int concurrency, ScheduledExecutorService timer, LongSupplier nanoClock) {
        this(name, rpm, concurrency, timer, DEFAULT_WINDOW_GUARD, nanoClock);
    }

    private RateLimiter(String name, Integer rpm, int concurrency, ScheduledExecutorService timer, Duration windowGuard,
            LongSupplier nanoClock) {
        this.windowGuardNanos = windowGuard.toNanos();
        this.name = name;
        this.timer = timer;
        this.nanoClock = nanoClock;
        this.rpm = rpm;
        this.effectiveRpm = rpm == null ? 0 : rpm;
        this.concurrency = concurrency;
    }

    public String name() {
        return name;
    }

    /** Cluster mode: every start is also reserved from {@code shared}, which {@code executor} asks (it may wait on the database). */
    public synchronized void share(SharedRate shared, Executor executor) {
        this.shared = shared;
        this.reservations = executor;
    }

    /**
     * Cluster mode: the target's concurrency holds for the whole cluster, each node taking a share of its
     * slots from {@code slots} ({@link #requestSlots}, on {@code executor}); until its first share the
     * node starts nothing.
     */
    public synchronized void shareSlots(SharedSlots slots, Executor executor) {
        this.slots = slots;
        this.rebalances = executor;
        this.slotLimit = 0;
    }

    /**
     * Cluster mode: asks for a rebalance of this node's share of the target's slots, unless one is asked
     * for already: every second, at once when callers come to wait on its share, and five times a second
     * while the nodes want more than the concurrency. All run on the one executor, one after the other.
     */
    public void requestSlots() {
        synchronized (this) {
            if (slots == null || slotsAsked) {
                return;
            }
            slotsAsked = true;
        }
        rebalances.execute(this::rebalanceSlots);
    }

    /**
     * Takes this node's fair share of the target's slots for its calls in flight and waiting, or gives
     * back what it holds and no longer needs. Nothing is asked of the store while the node neither holds
     * nor wants any.
     */
    private void rebalanceSlots() {
        SharedSlots from;
        int limit;
        int wanted;
        synchronized (this) {
            from = slots;
            slotsAsked = false;
            if (from == null) {
                return;
            }
            limit = concurrency;
            // the peak keeps the slots of calls that come and go between two rebalances (a poll every few seconds)
            wanted = Math.min(limit, Math.max(slotsPeak, inFlight + waiting));
            slotsPeak = inFlight + waiting;
            if (wanted == 0 && slotsHeld == 0) {
                return;
            }
        }
        SharedSlots.Share share;
        try {
            share = from.rebalance(name, limit, wanted, this::lowerSlotLimit);
        } catch (RuntimeException e) {
            LOG.warn("target {}: its slots in the cluster stay as they are, the job store did not answer: {}", name, e.getMessage());
            return;
        }
        synchronized (this) {
            slotLimit = share.allowed();
            slotsHeld = slotsWriting;
            if (share.contended() && !slotsFollowUp) {
                // the shares move as the nodes' calls end: follow them sooner than the next tick
                slotsFollowUp = true;
                timer.schedule(this::followUpSlots, CONTENDED_REBALANCE_MS, TimeUnit.MILLISECONDS);
            }
        }
        dispatch();
    }

    private void followUpSlots() {
        synchronized (this) {
            slotsFollowUp = false;
        }
        requestSlots();
    }

    /** Lowers this node's share to {@code allowed} at most; answers the calls in flight, which stay held until they end. */
    private synchronized int lowerSlotLimit(int allowed) {
        slotLimit = Math.min(slotLimit, allowed);
        slotsWriting = Math.max(inFlight, allowed);
        return inFlight;
    }

    /** How many calls may be in flight on this node now. */
    private int limit() {
        return slots == null ? concurrency : Math.min(concurrency, slotLimit);
    }

    /**
     * Runs {@code listener} after each time this limiter hands out what it can (a release, a wake-up, starts
     * reserved in cluster mode), outside its lock: how a pool that only {@link #tryAcquire}s learns when to try again.
     */
    public void onDispatch(Runnable listener) {
        onDispatch = listener;
    }

    /** Completes when the caller may start one request; cancel the future to stop waiting. */
    public CompletableFuture<Permit> acquire(String key) {
        CompletableFuture<Permit> future = new CompletableFuture<>();
        boolean asksSlots;
        synchronized (this) {
            queues.computeIfAbsent(key, k -> {
                turnOrder.addLast(k);
                return new ArrayDeque<>();
            }).addLast(future);
            waiting++;
            slotsPeak = Math.max(slotsPeak, inFlight + waiting);
            asksSlots = slots != null && inFlight + waiting > slotLimit && slotLimit < concurrency && !slotsFollowUp;
        }
        if (asksSlots) {
            requestSlots();
        }
        dispatch();
        return future;
    }

    /**
     * A permit at once if the limits allow a start this instant and nobody is queued, else null:
     * how a pool of limiters (the LLM models) takes the first one that is free without queueing on any.
     */
    public Permit tryAcquire() {
        boolean probe;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (waiting > 0 || inFlight >= limit() || earliestStart() > now || !reservedDue(now)) {
                return null;
            }
            probe = breaker.state() == CircuitBreaker.State.HALF_OPEN;
            breaker.callStarted();
            recordStart(now);
        }
        return new Permit(this, probe);
    }

    /** How long until the rate and any pause allow the next start (zero when they allow it now); concurrency aside. */
    public synchronized Duration untilNextStart() {
        long at = earliestStart();
        long now = nanoClock.getAsLong();
        // compared before subtracting: "no limit yet" is Long.MIN_VALUE, which would overflow
        return at > now ? Duration.ofNanos(at - now) : Duration.ZERO;
    }

    /** Reconfigures the limits live; waiting callers follow at once. */
    public void update(Integer newRpm, Integer newConcurrency) {
        synchronized (this) {
            if (newRpm != null) {
                rpm = newRpm <= 0 ? null : newRpm;
                effectiveRpm = rpm == null ? 0 : rpm;
                nextStart = rpm == null || lastStart == Long.MIN_VALUE ? Long.MIN_VALUE : lastStart + interval();
                while (rpm != null && recentStarts.size() > rpm) {
                    recentStarts.pollFirst();
                }
            }
            if (newConcurrency != null) {
                concurrency = newConcurrency;
            }
        }
        dispatch();
    }

    /** The downstream said 429: nobody starts before {@code retryAfter}, and the rate is halved. */
    public void pause(Duration retryAfter) {
        Duration capped = retryAfter.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : retryAfter;
        SharedRate sharedNow;
        synchronized (this) {
            sharedNow = shared;
            long now = nanoClock.getAsLong();
            pausedUntil = Math.max(pausedUntil, now + capped.toNanos());
            if (rpm != null) {
                effectiveRpm = Math.max(1, effectiveRpm / 2);
                lastRateChange = now;
            }
        }
        if (sharedNow != null) {
            reservations.execute(() -> {
                try {
                    sharedNow.pause(name, capped);
                } catch (RuntimeException e) {
                    LOG.warn("target {}: the pause after a 429 holds on this node only, the job store did not take it: {}", name,
                            e.getMessage());
                }
            });
        }
        dispatch();
    }

    /**
     * The target answered (2xx, or a 4xx that is the item's own fault): after a 429 the rate
     * climbs back by 10 % a minute, and an open or half-open circuit closes.
     */
    public void recordSuccess() {
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (rpm != null && effectiveRpm < rpm && now - lastRateChange >= RECOVERY_PERIOD_NANOS) {
                effectiveRpm = Math.min(rpm, effectiveRpm * 1.1);
                lastRateChange = now;
            }
            breaker.recordSuccess();
        }
        dispatch();
    }

    /** A connect failure, timeout, 408 or 5xx: counts towards opening the circuit. Record it before releasing the permit. */
    public void recordFailure() {
        synchronized (this) {
            breaker.recordFailure();
        }
    }

    public void configureCircuitBreaker(CircuitBreaker.Settings settings) {
        synchronized (this) {
            breaker.configure(settings);
        }
        dispatch();
    }

    public synchronized CircuitBreaker.Snapshot circuit() {
        return breaker.snapshot();
    }

    public synchronized CircuitBreaker.Settings circuitSettings() {
        return breaker.settings();
    }

    public synchronized Snapshot snapshot() {
        long now = nanoClock.getAsLong();
        long pausedMs = pausedUntil > now ? TimeUnit.NANOSECONDS.toMillis(pausedUntil - now) : 0;
        return new Snapshot(rpm, rpm == null ? null : Math.round(effectiveRpm * 10) / 10.0, concurrency,
                inFlight, waiting, meter.perMinute(now), pausedMs);
    }

    public record Snapshot(Integer rpm, Double effectiveRpm, int concurrency, int inFlight, int waiting,
            long startedLastMinute, long pausedForMs) {
    }

    private void release(boolean probe) {
        synchronized (this) {
            inFlight--;
            if (probe) {
                // a probe whose outcome was recorded has already closed or re-opened the circuit
                breaker.callAbandoned();
            }
        }
        dispatch();
    }

    private void dispatch() {
        List<CompletableFuture<Permit>> granted = new ArrayList<>();
        List<Boolean> probes = new ArrayList<>();
        synchronized (this) {
            long now = nanoClock.getAsLong();
            while (waiting > 0 && inFlight < limit()) {
                long allowedAt = earliestStart();
                if (allowedAt > now) {
                    if (allowedAt != Long.MAX_VALUE) {
                        scheduleWakeUp(allowedAt, now);
                    }
                    break;
                }
                if (!reservedDue(now)) {
                    break;
                }
                CompletableFuture<Permit> next = nextWaiter();
                if (next == null) {
                    break;
                }
                if (next.isDone()) {
                    continue;
                }
                probes.add(breaker.state() == CircuitBreaker.State.HALF_OPEN);
                breaker.callStarted();
                recordStart(now);
                granted.add(next);
            }
        }
        for (int i = 0; i < granted.size(); i++) {
            Permit permit = new Permit(this, probes.get(i));
            if (!granted.get(i).complete(permit)) {
                permit.release();
            }
        }
        onDispatch.run();
    }

    /**
     * Cluster mode: whether a reserved start is due now (the start takes it); else a wake-up waits for the
     * next one, or more are asked for. Always true on a single node or without an rpm.
     */
    private boolean reservedDue(long now) {
        if (shared == null || rpm == null) {
            return true;
        }
        while (!reserved.isEmpty() && reserved.peekFirst() < now - SLOT_GRACE_NANOS) {
            reserved.pollFirst();
        }
        Long next = reserved.peekFirst();
        if (next == null) {
            reserveMore();
            return false;
        }
        if (next > now) {
            scheduleWakeUp(next, now);
            return false;
        }
        return true;
    }

    /** Reserves about a second's worth of starts (no more than are waiting) off this thread, then dispatches again. */
    private void reserveMore() {
        if (reserving) {
            return;
        }
        reserving = true;
        int n = Math.max(1, Math.min(Math.min(waiting, MAX_RESERVED), (int) Math.ceil(effectiveRpm / 60)));
        long spacing = (long) ((WINDOW_NANOS + Math.max(windowGuardNanos, CLUSTER_WINDOW_GUARD_NANOS)) / effectiveRpm);
        SharedRate from = shared;
        reservations.execute(() -> {
            long retryIn = 0;
            try {
                Duration first = from.reserve(name, n, Duration.ofNanos(spacing));
                long base = nanoClock.getAsLong() + first.toNanos();
                synchronized (this) {
                    for (int k = 0; k < n; k++) {
                        reserved.addLast(base + k * spacing);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("target {}: no starts reserved from the job store, trying again in a second: {}", name, e.getMessage());
                retryIn = TimeUnit.SECONDS.toNanos(1);
            } finally {
                synchronized (this) {
                    reserving = false;
                }
            }
            if (retryIn > 0) {
                timer.schedule(this::dispatch, retryIn, TimeUnit.NANOSECONDS);
            } else {
                dispatch();
            }
        });
    }

    private long earliestStart() {
        long allowedAt = Math.max(pausedUntil, breaker.callAllowedAt());
        if (rpm != null) {
            allowedAt = Math.max(allowedAt, nextStart);
            if (recentStarts.size() >= rpm) {
                allowedAt = Math.max(allowedAt, recentStarts.peekFirst() + WINDOW_NANOS + windowGuardNanos);
            }
        }
        return allowedAt;
    }

    private void recordStart(long now) {
        inFlight++;
        meter.record(now);
        lastStart = now;
        if (rpm == null) {
            return;
        }
        if (shared != null) {
            reserved.pollFirst();
        }
        // On a grid while starts keep up: a timer that woke a little late does not push every later start
        // back, or the rate would fall short by the timers' lateness. A start later than timer jitter (it
        // waited for a free place, or there was nothing to do) begins a new grid: a wait never pulls
        // starts closer together.
        long interval = interval();
        boolean onGrid = nextStart != Long.MIN_VALUE && now >= nextStart
                && now - nextStart <= Math.min(interval / 2, TIMER_JITTER_NANOS);
        nextStart = (onGrid ? nextStart : now) + interval;
        recentStarts.addLast(now);
        while (recentStarts.size() > rpm) {
            recentStarts.pollFirst();
        }
    }

    private long interval() {
        return (long) (WINDOW_NANOS / effectiveRpm);
    }

    private CompletableFuture<Permit> nextWaiter() {
        while (!turnOrder.isEmpty()) {
            String key = turnOrder.pollFirst();
            ArrayDeque<CompletableFuture<Permit>> queue = queues.get(key);
            CompletableFuture<Permit> head = queue.pollFirst();
            waiting--;
            if (queue.isEmpty()) {
                queues.remove(key);
            } else {
                turnOrder.addLast(key);
            }
            return head;
        }
        return null;
    }

    private void scheduleWakeUp(long at, long now) {
        // a wake-up that is due has fired or is firing (it is not done while it runs): only a future one counts
        if (wakeUp != null && !wakeUp.isDone() && wakeUpAt > now && wakeUpAt <= at) {
            return;
        }
        if (wakeUp != null) {
            wakeUp.cancel(false);
        }
        wakeUpAt = at;
        wakeUp = timer.schedule(this::dispatch, at - now, TimeUnit.NANOSECONDS);
    }

    /** Leave to start one request; release it when the request is over. */
    public static final class Permit {
        private final RateLimiter owner;
        private final boolean probe;
        private boolean released;

        private Permit(RateLimiter owner, boolean probe) {
            this.owner = owner;
            this.probe = probe;
        }

        public void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            owner.release(probe);
        }
    }
}
