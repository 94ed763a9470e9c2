package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AutoConcurrencyTest {

    @Test
    void should_use_the_cap_when_no_latency_was_observed_yet() {
        assertThat(AutoConcurrency.plan(42, 3, null, 10)).isEqualTo(10);
    }

    @Test
    void should_keep_the_summed_rpm_busy_plus_one_ready_call_per_model_when_latency_is_known() {
        // 42 rpm = 0.7 calls/s; at 4 s each 2.8 are in flight -> 3, plus 3 ready
        assertThat(AutoConcurrency.plan(42, 3, Duration.ofSeconds(4), 10)).isEqualTo(6);
        assertThat(AutoConcurrency.plan(42, 3, Duration.ofMillis(500), 10)).isEqualTo(4);
    }

    @Test
    void should_stay_within_the_cap_when_the_pool_is_fast_and_calls_are_slow() {
        assertThat(AutoConcurrency.plan(600, 2, Duration.ofSeconds(30), 10)).isEqualTo(10);
        assertThat(AutoConcurrency.plan(600, 2, Duration.ofSeconds(30), 4)).isEqualTo(4);
    }

    @Test
    void should_follow_the_moving_average_when_latencies_are_observed() {
        AutoConcurrency auto = new AutoConcurrency(60, 1, 50);
        assertThat(auto.concurrency()).isEqualTo(50);

        auto.observe(Duration.ofSeconds(10));
        assertThat(auto.observedLatency()).isEqualTo(Duration.ofSeconds(10));
        assertThat(auto.concurrency()).isEqualTo(11);

        auto.observe(Duration.ofSeconds(20));
        assertThat(auto.observedLatency()).isEqualTo(Duration.ofSeconds(12));
        assertThat(auto.concurrency()).isEqualTo(13);
    }
}
