package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.LogCapture;
import dev.batchgate.testing.StubServer;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FailedItemLogTest {

    private static final String TOKEN = "tok-5f0e9c2a71d4b8";

    @Test
    void should_log_each_failed_item_once_at_warn_and_then_only_their_number_when_a_batch_has_many() {
        int failing = BatchRun.LOGGED_FAILURES + 7;
        try (StubServer stub = new StubServer(); LogCapture log = new LogCapture(false)) {
            // the downstream echoes the caller's token in its error: the log must not carry it
            stub.respond(r -> r.path().startsWith("/items/ok") ? StubServer.Reply.ok()
                    : StubServer.Reply.json(503, "{\"error\":\"overloaded, your token " + TOKEN + " is fine\"}"));
            try (BatchgateTestApp app = new BatchgateTestApp().target("svc", stub.url(), Map.of(
                    "operations.process", "POST /items/{id}", "retries", "0",
                    "headers.Authorization", "Bearer " + TOKEN, "circuit-breaker.failures", "0")).start()) {
                List<String> items = IntStream.range(0, failing + 3)
                        .mapToObj(i -> i < 3 ? "ok-" + i : "bad-" + i).toList();

                String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "items", items))
                        .json().path("id").asText();
                assertThat(app.awaitFinished(id).path("failed").asInt()).isEqualTo(failing);
            }
            List<String> lines = log.text().lines().toList();
            List<String> itemLines = lines.stream().filter(l -> l.contains(" item bad-")).toList();
            assertThat(itemLines).hasSize(BatchRun.LOGGED_FAILURES).allSatisfy(line -> assertThat(line)
                    .contains("WARN").contains(" failed: operation=process httpStatus=503 attempts=1 error=HTTP 503"));
            assertThat(itemLines.stream().map(l -> l.replaceAll(".* item (bad-\\d+) .*", "$1")).distinct())
                    .hasSize(BatchRun.LOGGED_FAILURES);
            assertThat(lines).filteredOn(l -> l.contains("more failed items not logged"))
                    .singleElement().satisfies(l -> assertThat(l).contains("WARN").contains(": 7 more failed items"));
            assertThat(lines).noneMatch(l -> l.contains(" item ok-"));
            assertThat(log.text()).doesNotContain(TOKEN);
        }
    }
}
