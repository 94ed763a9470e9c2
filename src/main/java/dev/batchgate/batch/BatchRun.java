package dev.batchgate.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.ratelimit.RateLimiter;
import dev.batchgate.target.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

/**
 * The live state of one running batch: counters by item status, the stop signal (cancel, deadline,
 * fail-fast…), the in-flight bound and the progress listeners. Finished batches live only in the
 * job store.
 */
public final class BatchRun {

    private final String id;
    private final BatchSpec spec;
    private final Target target;
    private final int total;
    private final Instant createdAt;
    private final AtomicIntegerArray counts = new AtomicIntegerArray(ItemStatus.values().length);
    private final CompletableFuture<Void> stopSignal = new CompletableFuture<>();
    /** Permits items wait for: a stop cancels them (one future per wait, not one more dependent of stopSignal per call). */
    private final Set<CompletableFuture<RateLimiter.Permit>> waitingPermits = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final List<Consumer<ProgressEvent>> listeners = new CopyOnWriteArrayList<>();
    private final InFlightGate gate;
    private final ObjectNode extra;
    private final int breakerMinFinished;
    private volatile StopReason stopReason;
    private volatile BatchStatus status = BatchStatus.PENDING;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;

    /** Progress after one item finished; {@code item} is null for the final event. */
    public record ProgressEvent(BatchRun run, ItemResult item) {
    }

    BatchRun(String id, BatchSpec spec, Target target, int total, Instant createdAt, Instant startedAt,
             java.util.Map<ItemStatus, Integer> finishedCounts, ObjectNode extra, int breakerMinFinished) {
        this.breakerMinFinished = breakerMinFinished;
        this.id = id;
        this.spec = spec;
        this.target = target;
        this.total = total;
        this.createdAt = createdAt;
        this.startedAt = startedAt;
        this.extra = extra == null ? Json.object() : extra;
        int finished = 0;
        for (var e : finishedCounts.entrySet()) {
            if (e.getKey().isFinal()) {
                counts.set(e.getKey().ordinal(), e.getValue());
                finished += e.getValue();
            }
        }
        counts.set(ItemStatus.PENDING.ordinal(), total - finished);
        this.gate = new InFlightGate(this::effectiveConcurrency);
    }

    public String id() {
        return id;
    }

    public BatchSpec spec() {
        return spec;
    }

    public Target target() {
        return target;
    }

    public int total() {
        return total;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public BatchStatus status() {
        return status;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** Summary sections that phases add (rollback, stages, facade totals); guard with synchronized. */
    public ObjectNode extra() {
        return extra;
    }

    /** {@code batchgate.breaker.min-finished}: how many items must finish before maxFailurePercent applies. */
    public int breakerMinFinished() {
        return breakerMinFinished;
    }

    public int count(ItemStatus status) {
        return counts.get(status.ordinal());
    }

    public int finishedCount() {
        return total - count(ItemStatus.PENDING) - count(ItemStatus.RUNNING);
    }

    /** The batch's own limit, never above the target's current one. */
    public int effectiveConcurrency() {
        int targetLimit = target.config().concurrency();
        return spec.concurrency() == null ? targetLimit : Math.min(spec.concurrency(), targetLimit);
    }

    public CompletableFuture<Void> done() {
        return done;
    }

    public boolean isStopping() {
        return stopReason != null;
    }

    /** Stops the batch: nothing new starts, calls in flight finish. The first reason wins. */
    public synchronized boolean stop(StopReason reason) {
        if (stopReason != null) {
            return false;
        }
        stopReason = reason;
        gate.close();
        stopSignal.complete(null);
        waitingPermits.forEach(permit -> permit.cancel(false));
        return true;
    }

    public void addListener(Consumer<ProgressEvent> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<ProgressEvent> listener) {
        listeners.remove(listener);
    }

    void markStarted(Instant at) {
        if (startedAt == null) {
            startedAt = at;
        }
        status = BatchStatus.RUNNING;
    }

    void markFinished(BatchStatus finalStatus, Instant at) {
        status = finalStatus;
        finishedAt = at;
        publish(null);
        done.complete(null);
    }

    /**
     * Called by the split for each item it hands out: waits for a free place in flight. Once the
     * batch is stopping it waits no more; the item then ends cancelled without a call.
     */
    void enterItem() {
        gate.enter();
        counts.decrementAndGet(ItemStatus.PENDING.ordinal());
        counts.incrementAndGet(ItemStatus.RUNNING.ordinal());
    }

    /** Counts a finished item. */
    void itemFinished(ItemResult result) {
        counts.incrementAndGet(result.status().ordinal());
        counts.decrementAndGet(ItemStatus.RUNNING.ordinal());
        publish(result);
    }

    /**
     * Frees a finished item's place in flight. Called when its result is recorded rather than when
     * the split aggregates it, which may happen later on another item's thread.
     */
    void leaveItem() {
        gate.leave();
    }

    /** Items never handed out when the batch stopped become {@code status} in one go. */
    void settleRemaining(ItemStatus status, int n) {
        counts.addAndGet(ItemStatus.PENDING.ordinal(), -n);
        counts.addAndGet(status.ordinal(), n);
    }

    /**
     * Waits for leave to start one call on {@code limiter}. Returns null when the batch stops
     * first; a permit granted at the same moment is handed back.
     */
    public RateLimiter.Permit acquire(RateLimiter limiter) {
        if (isStopping()) {
            return null;
        }
        CompletableFuture<RateLimiter.Permit> permit = limiter.acquire(id);
        if (!permit.isDone()) {
            awaitPermit(permit);
        }
        if (!isStopping() && permit.isDone() && !permit.isCancelled()) {
            return permit.join();
        }
        if (!permit.cancel(false)) {
            permit.join().release();
        }
        return null;
    }

    /** Waits for a permit the limiter did not grant at once; {@link #stop} cancels it. */
    private void awaitPermit(CompletableFuture<RateLimiter.Permit> permit) {
        waitingPermits.add(permit);
        try {
            if (isStopping()) {
                permit.cancel(false);
            }
            permit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CancellationException | ExecutionException e) {
            // cancelled by stop(); the limiter never completes a permit exceptionally
        } finally {
            waitingPermits.remove(permit);
        }
    }

    /** Sleeps unless the batch stops first; true when the full time passed. */
    public boolean pause(Duration duration) {
        try {
            stopSignal.get(Math.max(0, duration.toMillis()), TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private void publish(ItemResult item) {
        ProgressEvent event = new ProgressEvent(this, item);
        for (Consumer<ProgressEvent> listener : listeners) {
            listener.accept(event);
        }
    }
}
