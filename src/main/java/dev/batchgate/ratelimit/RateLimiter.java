package dev.batchgate.ratelimit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One target's request budget: at most {@code rpm} request starts in any 60-second window, spread
 * evenly, at most {@code concurrency} in flight, and waiting callers served round-robin by key (a
 * batch id) so that a large batch cannot starve a small one.
 *
 * <p>Two rules together give the guarantee: consecutive starts are at least 60 s / rpm apart (even,
 * no bursts, also after a wait for a free place), and a start is refused while the last {@code rpm}
 * starts all lie within the last 60 s plus a guard (so network jitter can never squeeze rpm + 1
 * starts into a window seen at the downstream).
 */
public final class RateLimiter {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Margin on the hard window so that starts observed at the downstream stay within rpm. */
    private static final long WINDOW_GUARD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long RECOVERY_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Duration MAX_PAUSE = Duration.ofMinutes(5);

    private final String name;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private final RateMeter meter = new RateMeter();

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

    public RateLimiter(String name, Integer rpm, int concurrency, ScheduledExecutorService timer) {
        this(name, rpm, concurrency, timer, System::nanoTime);
    }

    /** With a clock of its own: tests drive time by hand. */
    RateLimiter(String name, Integer rpm, int concurrency, ScheduledExecutorService timer, LongSupplier nanoClock) {
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

    /** Completes when the caller may start one request; cancel the future to stop waiting. */
    public CompletableFuture<Permit> acquire(String key) {
        CompletableFuture<Permit> future = new CompletableFuture<>();
        synchronized (this) {
            queues.computeIfAbsent(key, k -> {
                turnOrder.addLast(k);
                return new ArrayDeque<>();
            }).addLast(future);
            waiting++;
        }
        dispatch();
        return future;
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
        synchronized (this) {
            long now = nanoClock.getAsLong();
            pausedUntil = Math.max(pausedUntil, now + capped.toNanos());
            if (rpm != null) {
                effectiveRpm = Math.max(1, effectiveRpm / 2);
                lastRateChange = now;
            }
        }
        dispatch();
    }

    /** A call succeeded: after a 429 the rate climbs back by 10 % a minute. */
    public void recordSuccess() {
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (rpm != null && effectiveRpm < rpm && now - lastRateChange >= RECOVERY_PERIOD_NANOS) {
                effectiveRpm = Math.min(rpm, effectiveRpm * 1.1);
                lastRateChange = now;
            }
        }
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

    private void release() {
        synchronized (this) {
            inFlight--;
        }
        dispatch();
    }

    private void dispatch() {
        List<CompletableFuture<Permit>> granted = new ArrayList<>();
        synchronized (this) {
            long now = nanoClock.getAsLong();
            while (waiting > 0 && inFlight < concurrency) {
                long allowedAt = earliestStart();
                if (allowedAt > now) {
                    scheduleWakeUp(allowedAt, now);
                    break;
                }
                CompletableFuture<Permit> next = nextWaiter();
                if (next == null) {
                    break;
                }
                if (next.isDone()) {
                    continue;
                }
                recordStart(now);
                granted.add(next);
            }
        }
        for (CompletableFuture<Permit> future : granted) {
            Permit permit = new Permit(this);
            if (!future.complete(permit)) {
                permit.release();
            }
        }
    }

    private long earliestStart() {
        long allowedAt = pausedUntil;
        if (rpm != null) {
            allowedAt = Math.max(allowedAt, nextStart);
            if (recentStarts.size() >= rpm) {
                allowedAt = Math.max(allowedAt, recentStarts.peekFirst() + WINDOW_NANOS + WINDOW_GUARD_NANOS);
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
        // from the actual start: a start that had to wait (timer late, no free place) never pulls the next one closer
        nextStart = now + interval();
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
        private boolean released;

        private Permit(RateLimiter owner) {
            this.owner = owner;
        }

        public void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            owner.release();
        }
    }
}
