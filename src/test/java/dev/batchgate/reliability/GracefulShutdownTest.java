package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on the real jar: nothing new starts, calls in flight finish (up to a timeout), exit 0, the rest resumes. */
class GracefulShutdownTest {

    private static final int ITEMS = 40;

    @TempDir
    Path workDir;

    @Test
    void should_finish_calls_in_flight_and_exit_0_when_terminated() throws Exception {
        try (StubServer stub = new StubServer().respond(r -> StubServer.Reply.ok().after(Duration.ofMillis(1500)));
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")))) {
            Map<String, String> target = Map.of("operations.process", "POST /items/{id}", "concurrency", "4");
            String batchId;
            int calledWhenTerminated;
            try (BatchgateProcess first = new BatchgateProcess(workDir, db).target("svc", stub.url(), target).start()) {
                batchId = first.post("/v1/batches", Map.of("target", "svc", "operation", "process",
                        "items", IntStream.range(0, ITEMS).mapToObj(i -> "item-" + i).toList())).json().path("id").asText();
                await().atMost(Duration.ofSeconds(60)).until(() -> stub.requests().size() >= 6);
                first.terminate();
                calledWhenTerminated = stub.requests().size();
                assertThat(first.waitForExit(Duration.ofSeconds(60))).isEqualTo(0);
                assertThat(first.log()).contains("paused for shutdown");
            }
            // nothing new started after SIGTERM (at most the calls already on their way)
            assertThat(stub.requests().size()).isLessThanOrEqualTo(calledWhenTerminated + 4).isLessThan(ITEMS);

            try (BatchgateProcess second = new BatchgateProcess(workDir, db).target("svc", stub.url(), target).start()) {
                JsonNode summary = second.awaitFinished(batchId, Duration.ofMinutes(2));
                assertThat(summary.path("succeeded").asInt()).isEqualTo(ITEMS);
            }
            // the calls in flight at SIGTERM finished and were recorded: no item was called twice
            Map<String, Long> callsPerKey = stub.requests().stream()
                    .collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"), Collectors.counting()));
            assertThat(callsPerKey).hasSize(ITEMS);
            assertThat(callsPerKey.values()).containsOnly(1L);
        }
    }

    @Test
    void should_cut_off_a_call_that_outlasts_the_shutdown_timeout_and_resume_its_item() throws Exception {
        StubServer.Reply[] reply = {StubServer.Reply.ok().after(Duration.ofMinutes(5))};
        try (StubServer stub = new StubServer().respond(r -> reply[0]);
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")))) {
            Map<String, String> target = Map.of("operations.process", "POST /items/{id}", "timeout", "10m");
            String batchId;
            try (BatchgateProcess first = new BatchgateProcess(workDir, db).with("batchgate.shutdown-timeout", "1s")
                    .target("svc", stub.url(), target).start()) {
                batchId = first.post("/v1/batches", Map.of("target", "svc", "operation", "process",
                        "items", java.util.List.of("stuck"))).json().path("id").asText();
                await().atMost(Duration.ofSeconds(60)).until(() -> stub.requests().size() == 1);
                first.terminate();
                assertThat(first.waitForExit(Duration.ofSeconds(60))).isEqualTo(0);
                assertThat(first.log()).contains("cut off");
            }
            reply[0] = StubServer.Reply.ok();
            try (BatchgateProcess second = new BatchgateProcess(workDir, db).target("svc", stub.url(), target).start()) {
                JsonNode summary = second.awaitFinished(batchId, Duration.ofMinutes(2));
                assertThat(summary.path("succeeded").asInt()).isEqualTo(1);
            }
            assertThat(stub.requests()).hasSize(2);
        }
    }
}
