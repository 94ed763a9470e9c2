package dev.batchgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The breaker inside the limiter: while open nobody gets a permit, then one probe, then everyone. */
class RateLimiterCircuitTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final RateLimiter limiter = new RateLimiter("svc", null, 10, timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void should_hold_every_caller_while_open_and_release_them_after_a_successful_probe() {
        // long enough that the circuit is surely still open when the test looks, on a busy machine too
        limiter.configureCircuitBreaker(new CircuitBreaker.Settings(2, Duration.ofSeconds(3)));
        fail(limiter.acquire("a").join());
        fail(limiter.acquire("a").join());
        assertThat(limiter.circuit().state()).isEqualTo(CircuitBreaker.State.OPEN);

        CompletableFuture<RateLimiter.Permit> first = limiter.acquire("a");
        CompletableFuture<RateLimiter.Permit> second = limiter.acquire("b");
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        await().atMost(Duration.ofSeconds(10)).until(() -> first.isDone() || second.isDone());
        assertThat(first.isDone() && second.isDone()).as("only the probe gets out").isFalse();
        RateLimiter.Permit probe = first.isDone() ? first.join() : second.join();
        CompletableFuture<RateLimiter.Permit> waiting = first.isDone() ? second : first;
        limiter.recordSuccess();
        probe.release();

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(limiter.circuit().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void should_count_a_target_answer_as_health_when_it_breaks_the_run() {
        limiter.configureCircuitBreaker(new CircuitBreaker.Settings(2, Duration.ofMillis(300)));
        fail(limiter.acquire("a").join());
        RateLimiter.Permit answered = limiter.acquire("a").join();
        limiter.recordSuccess();
        answered.release();
        fail(limiter.acquire("a").join());

        assertThat(limiter.circuit().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(limiter.acquire("a")).isDone();
    }

    private void fail(RateLimiter.Permit permit) {
        limiter.recordFailure();
        permit.release();
    }
}
