package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 202 means the batch is on disk: it survives a SIGKILL that follows at once, and pending batches start again. */
class DurableAcceptTest {

    @TempDir
    Path workDir;

    @Test
    void should_keep_and_run_the_batch_when_killed_right_after_the_202() throws Exception {
        try (StubServer stub = new StubServer().respond(r -> StubServer.Reply.ok().after(Duration.ofMillis(200)));
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")))) {
            Map<String, String> target = Map.of("operations.process", "POST /items/{id}", "concurrency", "4");
            String batchId;
            try (BatchgateProcess first = new BatchgateProcess(workDir, db).target("svc", stub.url(), target).start()) {
                var accepted = first.post("/v1/batches", Map.of("target", "svc", "operation", "process",
                        "items", IntStream.range(0, 20).mapToObj(i -> "item-" + i).toList()));
                first.kill();
                assertThat(accepted.status()).isEqualTo(202);
                batchId = accepted.json().path("id").asText();
            }
            try (BatchgateProcess second = new BatchgateProcess(workDir, db).target("svc", stub.url(), target).start()) {
                assertThat(second.get("/v1/batches/" + batchId).status()).isEqualTo(200);
                JsonNode summary = second.awaitFinished(batchId, Duration.ofMinutes(2));
                assertThat(summary.path("succeeded").asInt()).isEqualTo(20);
            }
        }
    }

    @Test
    void should_start_a_pending_batch_when_batchgate_starts() throws Exception {
        try (StubServer stub = new StubServer().respond(r -> StubServer.Reply.ok());
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")))) {
            String batchId;
            try (BatchgateTestApp first = new BatchgateTestApp(db)
                    .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}", "rpm", "1")).start()) {
                batchId = first.post("/v1/batches", Map.of("target", "svc", "operation", "process",
                        "items", List.of("a", "b"))).json().path("id").asText();
            }
            // what a crash between storing a batch and starting it leaves behind
            try (Connection c = db.connect();
                    PreparedStatement ps = c.prepareStatement(
                            "UPDATE batches SET status = 'pending', started_at = NULL WHERE id = ?")) {
                ps.setString(1, batchId);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            try (BatchgateTestApp second = new BatchgateTestApp(db)
                    .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}")).start()) {
                assertThat(second.awaitFinished(batchId).path("succeeded").asInt()).isEqualTo(2);
            }
        }
    }
}
