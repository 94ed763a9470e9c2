package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.store.BatchRecord;
import dev.batchgate.store.JdbcJobStore;
import dev.batchgate.store.JobStore;
import dev.batchgate.store.StoredItem;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Recorded;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch left by a crash in the middle of a phase resumes in that phase on the next start: the
 * store holds each batch's phase and each item's stage, and a rollback reads what is left to undo.
 */
class PhaseResumeTest {

    static final Map<String, String> OPERATIONS = Map.of(
            "retries", "0",
            "operations.start", "POST /i/{id}/start",
            "operations.start.rollback", "stop",
            "operations.stop", "POST /i/{id}/stop");

    StubServer stub;
    BatchgateTestApp app;

    @BeforeEach
    void prepare() {
        stub = new StubServer();
        app = new BatchgateTestApp().target("svc", stub.url(), OPERATIONS);
    }

    @AfterEach
    void close() {
        app.close();
        stub.close();
    }

    @Test
    void should_undo_only_what_is_left_when_a_transaction_resumes_in_its_rollback() {
        BatchSpec spec = BatchSpec.builder("svc", "start").concurrency(1).failFast(true).transaction(true).trigger("http").build();
        try (JdbcJobStore store = store()) {
            create(store, "b-rollback", spec, 4);
            store.saveResults(List.of(
                    row("b-rollback", 0, ItemStatus.ROLLED_BACK,
                            "{\"id\":\"i-0\",\"status\":\"rolled_back\",\"attempts\":1,\"durationMs\":5,"
                                    + "\"rollback\":[{\"operation\":\"stop\",\"rollbackOf\":\"start\",\"status\":\"succeeded\"}]}",
                            null),
                    row("b-rollback", 1, ItemStatus.SUCCEEDED, "{\"id\":\"i-1\",\"status\":\"succeeded\",\"attempts\":1,\"durationMs\":5}",
                            null),
                    row("b-rollback", 2, ItemStatus.FAILED, "{\"id\":\"i-2\",\"status\":\"failed\",\"httpStatus\":500,\"attempts\":1,"
                            + "\"durationMs\":5,\"error\":\"HTTP 500\"}", null),
                    row("b-rollback", 3, ItemStatus.CANCELLED, null, null)));
            store.enterPhase("b-rollback", "rollback", "transaction_rolled_back", null);
        }

        app.start();
        JsonNode summary = app.awaitFinished("b-rollback");

        assertThat(stub.requests()).extracting(Recorded::path).containsExactly("/i/i-1/stop");
        assertThat(stub.requests().get(0).header("Idempotency-Key")).isEqualTo("b-rollback:i-1:rollback-start");
        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("transaction_rolled_back");
        assertThat(summary.path("rollback").path("attempted").asInt()).isEqualTo(2);
        assertThat(summary.path("rollback").path("succeeded").asInt()).isEqualTo(2);
        assertThat(summary.path("rolledBack").asInt()).isEqualTo(2);
    }

    @Test
    void should_run_only_the_stage_each_item_is_at_when_a_chain_resumes() {
        BatchSpec spec = BatchSpec.builder("svc")
                .stages(List.of(new BatchSpec.Stage("stop", false), new BatchSpec.Stage("start", false))).trigger("http").build();
        try (JdbcJobStore store = store()) {
            create(store, "b-chain", spec, 3);
            String stopped = "{\"id\":\"i-%d\",\"status\":\"pending\",\"attempts\":1,\"durationMs\":5,"
                    + "\"steps\":[{\"operation\":\"stop\",\"status\":\"succeeded\",\"attempts\":1,\"durationMs\":5}]}";
            store.saveResults(List.of(
                    row("b-chain", 0, ItemStatus.PENDING, String.format(stopped, 0), 1),
                    row("b-chain", 1, ItemStatus.FAILED, "{\"id\":\"i-1\",\"status\":\"failed\",\"httpStatus\":404,\"attempts\":1,"
                            + "\"durationMs\":5,\"steps\":[{\"operation\":\"stop\",\"status\":\"failed\"}]}", null)));
            store.enterPhase("b-chain", "run", null, null);
        }

        app.start();
        JsonNode summary = app.awaitFinished("b-chain");

        assertThat(stub.requests()).extracting(Recorded::path).containsExactlyInAnyOrder("/i/i-0/start", "/i/i-2/stop", "/i/i-2/start");
        assertThat(summary.path("status").asText()).isEqualTo("completed");
        assertThat(summary.path("stages").toString()).isEqualTo("[{\"operation\":\"stop\",\"succeeded\":2,\"failed\":1,"
                + "\"skipped\":0,\"cancelled\":0},{\"operation\":\"start\",\"succeeded\":2,\"failed\":0,\"skipped\":0,\"cancelled\":0}]");
        assertThat(summary.path("results").get(0).path("steps").findValuesAsText("operation")).containsExactly("stop", "start");
    }

    JdbcJobStore store() {
        return new JdbcJobStore(app.property("batchgate.db.url"), app.property("batchgate.db.user") == null ? "sa"
                : app.property("batchgate.db.user"),
                app.property("batchgate.db.password") == null ? "" : app.property("batchgate.db.password"));
    }

    static void create(JdbcJobStore store, String id, BatchSpec spec, int total) {
        long now = System.currentTimeMillis();
        store.createBatch(
                new BatchRecord(id, "svc", spec.operationLabel(), BatchRequestParser.specJson(spec), BatchStatus.RUNNING, null, total,
                        BatchRecord.Counts.ZERO, "http", null, now, now, null, null),
                java.util.stream.IntStream.range(0, total)
                        .mapToObj(i -> new StoredItem(i, "\"i-" + i + "\"", null, ItemStatus.PENDING, null))
                        .iterator(),
                null);
    }

    static JobStore.ResultRow row(String batch, int index, ItemStatus status, String json, Integer stage) {
        return new JobStore.ResultRow(batch, index, status, json, stage);
    }
}
