package dev.batchgate.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One target's circuit breaker: after {@code failureThreshold} consecutive failed calls (connect
 * errors, timeouts, 5xx) the circuit opens and nobody may call the target; after the cool-down one
 * probe call is let through (half-open); its success closes the circuit, its failure opens it again
 * for a doubled cool-down (up to {@link #MAX_COOL_DOWN}). Callers wait while it is open, so a dead
 * target costs one probe per cool-down instead of every item's retries. Not thread-safe: the rate
 * limiter that owns it guards it with its own lock.
 */
public final class CircuitBreaker {

    public static final Duration MAX_COOL_DOWN = Duration.ofMinutes(5);

    public enum State {
        CLOSED, OPEN, HALF_OPEN;

        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code failureThreshold} 0 turns the breaker off. */
    public record Settings(int failureThreshold, Duration coolDown) {
        public static final Settings DEFAULT = new Settings(5, Duration.ofSeconds(30));

        public Settings {
            if (failureThreshold < 0) {
                throw new IllegalArgumentException("circuit-breaker.failures must be 0 (off) or more, got " + failureThreshold);
            }
            if (coolDown.isNegative() || coolDown.isZero()) {
                throw new IllegalArgumentException("circuit-breaker.cool-down must be positive, got " + coolDown);
            }
        }
    }

    public record Snapshot(State state, int consecutiveFailures, long retryInMs, int opened) {
    }

    private final LongSupplier nanoClock;
    private Settings settings;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long coolDownNanos;
    private long openUntil;
    private boolean probeOut;
    private int opened;

    public CircuitBreaker(Settings settings, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        configure(settings);
    }

    public void configure(Settings newSettings) {
        this.settings = newSettings;
        this.coolDownNanos = newSettings.coolDown().toNanos();
        if (newSettings.failureThreshold() == 0) {
            close();
        }
    }

    public Settings settings() {
        return settings;
    }

    public State state() {
        return state;
    }

    /**
     * When a call may start: {@code Long.MIN_VALUE} for now, else the nano time at which to ask
     * again. An open circuit turns half-open once its cool-down is over; half-open lets exactly
     * one probe out.
     */
    public long callAllowedAt() {
        if (state == State.OPEN) {
            if (nanoClock.getAsLong() < openUntil) {
                return openUntil;
            }
            state = State.HALF_OPEN;
            probeOut = false;
        }
        if (state == State.HALF_OPEN && probeOut) {
            return Long.MAX_VALUE;
        }
        return Long.MIN_VALUE;
    }

    /** A call was let out: when half-open, it is the probe. */
    public void callStarted() {
        if (state == State.HALF_OPEN) {
            probeOut = true;
        }
    }

    /** The target answered (any status but 5xx/408/429): the circuit closes. */
    public void recordSuccess() {
        close();
    }

    /** A connect failure, timeout or 5xx. */
    public void recordFailure() {
        if (settings.failureThreshold() == 0) {
            return;
        }
        consecutiveFailures++;
        if (state == State.HALF_OPEN) {
            coolDownNanos = Math.min(coolDownNanos * 2, MAX_COOL_DOWN.toNanos());
            open();
        } else if (state == State.CLOSED && consecutiveFailures >= settings.failureThreshold()) {
            open();
        }
    }

    /** The probe ended without an outcome (its batch stopped): another caller may probe. */
    public void callAbandoned() {
        if (state == State.HALF_OPEN) {
            probeOut = false;
        }
    }

    public Snapshot snapshot() {
        long now = nanoClock.getAsLong();
        long retryIn = state == State.OPEN && openUntil > now ? TimeUnit.NANOSECONDS.toMillis(openUntil - now) : 0;
        return new Snapshot(state, consecutiveFailures, retryIn, opened);
    }

    private void open() {
        state = State.OPEN;
        openUntil = nanoClock.getAsLong() + coolDownNanos;
        probeOut = false;
        opened++;
    }

    private void close() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        probeOut = false;
        coolDownNanos = settings.coolDown().toNanos();
    }
}
