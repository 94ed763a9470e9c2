package dev.batchgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreaker.Settings(3, Duration.ofSeconds(10)), now::get);

    @Test
    void should_open_when_failures_in_a_row_reach_the_threshold() {
        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.callAllowedAt()).isEqualTo(Long.MIN_VALUE);

        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.callAllowedAt()).isEqualTo(now.get() + TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void should_stay_closed_when_a_success_breaks_the_run_of_failures() {
        breaker.recordFailure();
        breaker.recordFailure();
        breaker.recordSuccess();
        breaker.recordFailure();
        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void should_let_exactly_one_probe_out_when_the_cool_down_is_over() {
        open();
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));

        assertThat(breaker.callAllowedAt()).isEqualTo(Long.MIN_VALUE);
        breaker.callStarted();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.callAllowedAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void should_close_when_the_probe_succeeds() {
        probe();

        breaker.recordSuccess();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.callAllowedAt()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void should_open_again_for_twice_as_long_when_the_probe_fails() {
        probe();

        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.callAllowedAt()).isEqualTo(now.get() + TimeUnit.SECONDS.toNanos(20));
    }

    @Test
    void should_let_another_probe_out_when_the_probe_ends_without_an_outcome() {
        probe();

        breaker.callAbandoned();

        assertThat(breaker.callAllowedAt()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void should_never_open_when_the_threshold_is_zero() {
        breaker.configure(new CircuitBreaker.Settings(0, Duration.ofSeconds(10)));

        for (int i = 0; i < 100; i++) {
            breaker.recordFailure();
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.recordFailure();
        }
    }

    private void probe() {
        open();
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        breaker.callAllowedAt();
        breaker.callStarted();
    }
}
