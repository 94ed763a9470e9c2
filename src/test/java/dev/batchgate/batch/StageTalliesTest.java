package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StageTalliesTest {

    @Test
    void should_count_items_past_a_stage_as_succeeded_in_it_when_read_back_from_the_store() {
        StageTallies tallies = StageTallies.fromStore(List.of("stop", "start", "verify"), List.of(
                new StageTallies.Count(ItemStatus.FAILED, 0, 1),
                new StageTallies.Count(ItemStatus.PENDING, 1, 3),
                new StageTallies.Count(ItemStatus.SUCCEEDED, 2, 2),
                new StageTallies.Count(ItemStatus.CANCELLED, 2, 1)));

        assertThat(tallies.count(0, ItemStatus.SUCCEEDED)).isEqualTo(6);
        assertThat(tallies.count(0, ItemStatus.FAILED)).isEqualTo(1);
        assertThat(tallies.count(1, ItemStatus.SUCCEEDED)).isEqualTo(3);
        assertThat(tallies.count(2, ItemStatus.SUCCEEDED)).isEqualTo(2);
        assertThat(tallies.count(2, ItemStatus.CANCELLED)).isEqualTo(1);
    }

    @Test
    void should_write_the_summary_stages_section_when_asked_for_json() {
        StageTallies tallies = new StageTallies(List.of("stop", "start"));
        tallies.add(0, ItemStatus.SUCCEEDED, 2);
        tallies.add(1, ItemStatus.CANCELLED, 2);

        var json = tallies.toJson();

        assertThat(json.get(0).toString()).isEqualTo("{\"operation\":\"stop\",\"succeeded\":2,\"failed\":0,\"skipped\":0,\"cancelled\":0}");
        assertThat(StageTallies.summarized(List.of("stop", "start"), StageTallies.counts(json)).count(1, ItemStatus.CANCELLED))
                .isEqualTo(2);
    }
}
