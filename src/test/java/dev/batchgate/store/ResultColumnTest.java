package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.batch.ItemResult;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.batch.StepRecord;
import org.junit.jupiter.api.Test;

class ResultColumnTest {

    @Test
    void should_write_back_the_same_text_when_a_stored_chain_result_is_read() {
        String stored = "{\"id\":\"i-1\",\"status\":\"failed\",\"httpStatus\":500,\"attempts\":3,\"durationMs\":40,"
                + "\"error\":\"rollback start of stop failed: 500\",\"steps\":[{\"operation\":\"stop\",\"status\":\"succeeded\","
                + "\"httpStatus\":200,\"attempts\":1,\"durationMs\":5,\"actMs\":2,\"settleMs\":5},{\"operation\":\"start\","
                + "\"status\":\"failed\",\"httpStatus\":500,\"attempts\":2,\"durationMs\":9,\"error\":\"500\"}],"
                + "\"rollback\":[{\"operation\":\"start\",\"rollbackOf\":\"stop\",\"status\":\"failed\",\"attempts\":1,"
                + "\"durationMs\":3,\"error\":\"500\"}]}";

        ItemResult result = ResultColumn.read(1, stored);

        assertThat(ResultColumn.write(result)).isEqualTo(stored);
        assertThat(result.details().steps()).extracting(StepRecord::operation).containsExactly("stop", "start");
        assertThat(result.details().steps().get(0).await().settleMs()).isEqualTo(5);
        assertThat(result.details().rollback().get(0).rollbackOf()).isEqualTo("stop");
    }

    @Test
    void should_keep_a_facades_own_fields_when_it_reads_a_result() {
        String stored = "{\"id\":\"p-1\",\"status\":\"succeeded\",\"httpStatus\":200,\"attempts\":1,\"durationMs\":7,"
                + "\"success\":true,\"content\":\"hi\",\"model\":\"m\",\"tokens\":{\"input\":3,\"output\":4},\"costUsd\":0.0012}";

        ItemResult result = ResultColumn.read(0, stored);

        assertThat(result.status()).isEqualTo(ItemStatus.SUCCEEDED);
        assertThat(result.details().fields().path("tokens").path("output").asInt()).isEqualTo(4);
        assertThat(ResultColumn.write(result)).isEqualTo(stored);
    }

    @Test
    void should_write_back_the_same_text_when_a_check_or_an_await_ended_the_item() {
        String checked = "{\"id\":1,\"status\":\"skipped\",\"attempts\":0,\"durationMs\":2,\"error\":\"check not met\","
                + "\"response\":{\"state\":\"on\"},\"check\":\"start\"}";
        String awaited = "{\"id\":\"a\",\"status\":\"failed\",\"httpStatus\":202,\"attempts\":1,\"durationMs\":500,"
                + "\"error\":\"await start timed out\",\"actMs\":40,\"settleMs\":500}";

        assertThat(ResultColumn.write(ResultColumn.read(0, checked))).isEqualTo(checked);
        assertThat(ResultColumn.write(ResultColumn.read(0, awaited))).isEqualTo(awaited);
        assertThat(ResultColumn.read(0, null)).isNull();
    }
}
