package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.store.UsageStore;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageGroupsTest {

    private static UsageStore.Sums sums(String operation, String metadata, long requests, long in, long out, String cost) {
        Map<String, String> values = new HashMap<>();
        values.put("operation", operation);
        values.put("metadata", metadata);
        return new UsageStore.Sums(values, requests, 1, 0, in, out, new BigDecimal(cost));
    }

    @Test
    void should_merge_rows_of_batches_with_the_same_project_when_grouping_by_a_metadata_key() {
        List<UsageStore.Sums> rows = List.of(
                sums("GENERATE_SCRIPT", "{\"projectId\":\"p1\",\"user\":\"a\"}", 2, 10, 20, "0.5"),
                sums("GENERATE_SCRIPT", "{\"projectId\":\"p1\",\"user\":\"b\"}", 3, 1, 2, "0.25"),
                sums("GENERATE_SCRIPT", "{\"projectId\":7}", 1, 5, 5, "0.1"),
                sums("GENERATE_SCRIPT", null, 4, 0, 0, "0"));

        List<ObjectNode> groups = UsageGroups.fold(List.of("operation", "metadata.projectId"), rows);

        assertThat(groups).hasSize(3);
        ObjectNode p1 = groups.stream().filter(g -> g.path("metadata.projectId").asText().equals("p1")).findFirst().orElseThrow();
        assertThat(p1.path("requests").asLong()).isEqualTo(5);
        assertThat(p1.path("inputTokens").asLong()).isEqualTo(11);
        assertThat(p1.path("outputTokens").asLong()).isEqualTo(22);
        assertThat(p1.path("costUsd").decimalValue()).isEqualByComparingTo("0.75");
        assertThat(p1.path("rateLimited").asLong()).isEqualTo(2);
        assertThat(groups).anySatisfy(g -> assertThat(g.path("metadata.projectId").isInt()).isTrue());
        assertThat(groups).anySatisfy(g -> assertThat(g.path("metadata.projectId").isNull()).isTrue());
    }

    @Test
    void should_add_everything_up_when_totals_are_asked_for() {
        ObjectNode totals = UsageGroups.totals(List.of(sums("a", null, 2, 10, 20, "0.5"), sums("b", null, 3, 1, 2, "0.25")));

        assertThat(totals.path("requests").asLong()).isEqualTo(5);
        assertThat(totals.path("costUsd").decimalValue()).isEqualByComparingTo("0.75");
    }

    @Test
    void should_know_columns_and_metadata_keys_when_checking_group_by() {
        assertThat(UsageGroups.isKnown("model")).isTrue();
        assertThat(UsageGroups.isKnown("metadata.projectId")).isTrue();
        assertThat(UsageGroups.isKnown("metadata.")).isFalse();
        assertThat(UsageGroups.isKnown("apiKey")).isFalse();
    }
}
