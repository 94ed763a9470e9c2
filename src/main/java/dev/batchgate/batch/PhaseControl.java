package dev.batchgate.batch;

import dev.batchgate.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

/**
 * One phase's own stop signal and in-flight bound. Phases have their own because a rollback must
 * run after the very stop (cancel, deadline, failure) that ended the phase before it.
 */
final class PhaseControl {

    private final InFlightGate gate;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Set<CompletableFuture<RateLimiter.Permit>> waitingPermits = ConcurrentHashMap.newKeySet();

    PhaseControl(IntSupplier concurrency) {
        this.gate = new InFlightGate(concurrency);
    }

    /** Nothing new starts; calls in flight finish. The signal goes first: an item the closing gate wakes must find it set. */
    void stop() {
        stopped.complete(null);
        gate.close();
        waitingPermits.forEach(permit -> permit.cancel(false));
    }

    boolean isStopped() {
        return stopped.isDone();
    }

    /** Waits until another item may be taken; false once the phase is stopping. */
    boolean awaitRoom() {
        return gate.awaitRoom();
    }

    void enter() {
        gate.enter();
    }

    void leave() {
        gate.leave();
    }

    CompletableFuture<Void> callSlot() {
        return gate.callSlot();
    }

    /**
     * Leave to start one call, or null once the phase stops. Most permits are granted on the spot;
     * one that is waited for is registered, so that {@link #stop} can cancel it.
     */
    CompletableFuture<RateLimiter.Permit> acquireAsync(RateLimiter limiter, String key) {
        if (isStopped()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<RateLimiter.Permit> permit = limiter.acquire(key);
        if (permit.isDone()) {
            return CompletableFuture.completedFuture(grantedOrNull(permit));
        }
        waitingPermits.add(permit);
        if (isStopped()) {
            permit.cancel(false);
        }
        return permit.handle((granted, cancelled) -> {
            waitingPermits.remove(permit);
            return grantedOrNull(permit);
        });
    }

    /** The permit, unless the phase stopped meanwhile: then it is handed back (or was cancelled). */
    private RateLimiter.Permit grantedOrNull(CompletableFuture<RateLimiter.Permit> permit) {
        if (permit.isCancelled()) {
            return null;
        }
        if (isStopped()) {
            permit.join().release();
            return null;
        }
        return permit.join();
    }

    /** Sleeps unless the phase stops first; true when the full time passed. */
    boolean pause(Duration duration) {
        try {
            stopped.get(Math.max(0, duration.toMillis()), TimeUnit.MILLISECONDS);
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
}
