package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.store.BatchRecord;
import org.junit.jupiter.api.Test;

class BatchSummariesTest {

    @Test
    void should_count_only_items_that_ran_in_the_rate_when_the_rest_were_cancelled() {
        // 72 items ran in 10 s, then 128 were cancelled at once: 432 a minute, not 1,200
        BatchSpec spec = BatchSpec.builder("svc", "stop").failFast(true).trigger("http").build();
        BatchRecord record = new BatchRecord("b-1", "svc", "stop", BatchRequestParser.specJson(spec), BatchStatus.FAILED, "fail_fast",
                200, new BatchRecord.Counts(71, 1, 0, 128, 0, 0), "http", null, 0, 1_000L, 11_000L, null);

        ObjectNode summary = BatchSummaries.stored(record, null);

        assertThat(summary.path("ratePerMinute").asDouble()).isEqualTo(432.0);
    }
}
