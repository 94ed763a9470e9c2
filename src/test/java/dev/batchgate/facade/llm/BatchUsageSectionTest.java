package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.store.UsageRow;
import dev.batchgate.store.UsageStore;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchUsageSectionTest {

    @Test
    void should_count_tokens_cost_and_calls_per_model_when_calls_are_added() {
        ObjectNode section = BatchUsageSection.empty()
                .add("pro", UsageRow.Status.RATE_LIMITED, 1, 0, 0, BigDecimal.ZERO)
                .add("flash", UsageRow.Status.SUCCEEDED, 1, 100, 50, new BigDecimal("0.000155"))
                .add("flash", UsageRow.Status.FAILED, 1, 10, 0, new BigDecimal("0.000003"))
                .toJson();

        assertThat(section.path("calls").asLong()).isEqualTo(3);
        assertThat(section.at("/tokens/input").asLong()).isEqualTo(110);
        assertThat(section.at("/tokens/output").asLong()).isEqualTo(50);
        assertThat(section.at("/tokens/total").asLong()).isEqualTo(160);
        assertThat(section.path("costUsd").decimalValue()).isEqualByComparingTo("0.000158");
        assertThat(section.at("/models/pro/rateLimited").asLong()).isEqualTo(1);
        assertThat(section.at("/models/flash/calls").asLong()).isEqualTo(2);
        assertThat(section.at("/models/flash/succeeded").asLong()).isEqualTo(1);
        assertThat(section.at("/models/flash/failed").asLong()).isEqualTo(1);
    }

    @Test
    void should_start_from_the_usage_rows_when_a_batch_resumes() {
        ObjectNode section = BatchUsageSection.of(List.of(new UsageStore.ModelUsage("pro", UsageRow.Status.SUCCEEDED, 4, 40, 80,
                new BigDecimal("0.001")))).toJson();

        assertThat(section.path("calls").asLong()).isEqualTo(4);
        assertThat(section.at("/models/pro/succeeded").asLong()).isEqualTo(4);
        assertThat(section.at("/tokens/total").asLong()).isEqualTo(120);
    }
}
