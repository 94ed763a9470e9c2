package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TargetCallsTest {

    @RepeatedTest(20)
    void should_double_the_backoff_with_at_most_20_percent_jitter_when_retrying_again() {
        Duration base = Duration.ofMillis(500);

        assertThat(TargetCalls.backoff(base, 0)).isBetween(Duration.ofMillis(400), Duration.ofMillis(600));
        assertThat(TargetCalls.backoff(base, 1)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(TargetCalls.backoff(base, 3)).isBetween(Duration.ofMillis(3200), Duration.ofMillis(4800));
    }

    @Test
    void should_wait_for_retry_after_when_it_is_longer_than_the_backoff() {
        assertThat(TargetCalls.retryDelay(Duration.ofMillis(500), Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(TargetCalls.retryDelay(Duration.ofMillis(500), Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(500));
        assertThat(TargetCalls.retryDelay(Duration.ofMillis(500), null)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void should_wait_at_most_five_minutes_when_retry_after_asks_for_longer() {
        assertThat(TargetCalls.retryDelay(Duration.ofMillis(500), Duration.ofDays(1))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void should_percent_encode_the_id_in_the_downstream_idempotency_key() {
        BatchItem item = new BatchItem(0, Json.MAPPER.getNodeFactory().textNode("a/b c:d"), null);

        assertThat(TargetCalls.idempotencyKey("b-1", item, "start")).isEqualTo("b-1:a%2Fb%20c%3Ad:start");
    }
}
