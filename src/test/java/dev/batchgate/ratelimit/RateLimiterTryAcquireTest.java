package dev.batchgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimiterTryAcquireTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void should_grant_at_once_and_then_refuse_until_the_spacing_has_passed_when_rpm_is_set() {
        RateLimiter limiter = new RateLimiter("m", 2, 10, timer);

        assertThat(limiter.tryAcquire()).isNotNull();
        assertThat(limiter.tryAcquire()).isNull();
        assertThat(limiter.untilNextStart()).isGreaterThan(Duration.ofSeconds(29)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void should_refuse_when_the_concurrency_is_used_up_and_grant_again_after_a_release() {
        RateLimiter limiter = new RateLimiter("m", null, 1, timer);

        RateLimiter.Permit permit = limiter.tryAcquire();
        assertThat(limiter.tryAcquire()).isNull();
        assertThat(limiter.untilNextStart()).isZero();
        permit.release();

        assertThat(limiter.tryAcquire()).isNotNull();
    }

    @Test
    void should_not_jump_ahead_of_queued_callers_when_some_are_waiting() {
        RateLimiter limiter = new RateLimiter("m", null, 1, timer);
        RateLimiter.Permit held = limiter.acquire("batch").join();
        var queued = limiter.acquire("batch");

        held.release();

        assertThat(queued.join()).isNotNull();
        assertThat(limiter.tryAcquire()).isNull();
    }
}
