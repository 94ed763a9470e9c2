package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Reply;
import dev.batchgate.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A batch running when batchgate stops goes on where it stopped on the next start. */
class BatchResumeTest {

    @Test
    void should_run_the_remaining_items_with_the_same_keys_when_the_app_restarts_mid_batch() {
        try (StubServer stub = new StubServer().respond(r -> Reply.ok().after(Duration.ofMillis(300)));
                TestDatabase database = TestDatabase.fresh()) {
            Map<String, String> target = Map.of("operations.start", "POST /instances/{id}/start", "concurrency", "1");
            List<String> ids = IntStream.range(0, 10).mapToObj(i -> "resume-" + i).toList();
            BatchgateTestApp first = new BatchgateTestApp(database).target("svc", stub.url(), target).start();
            String id = first.post("/v1/batches", Map.of("target", "svc", "operation", "start", "items", ids)).json()
                    .path("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> stub.requests().size() >= 3);

            first.close();

            int callsBeforeRestart = stub.requests().size();
            assertThat(callsBeforeRestart).isLessThan(10);
            try (BatchgateTestApp second = new BatchgateTestApp(database).target("svc", stub.url(), target).start()) {
                JsonNode summary = second.awaitFinished(id);

                assertThat(summary.path("status").asText()).isEqualTo("completed");
                assertThat(summary.path("succeeded").asInt()).isEqualTo(10);
                assertThat(summary.path("cancelled").asInt()).isZero();
            }
            // each item once: the call in flight at the stop finished and was kept, and the batch resumed once
            List<String> called = stub.requests().stream().map(r -> r.path().split("/")[2]).toList();
            assertThat(called).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(stub.requests()).allMatch(r -> r.header("Idempotency-Key").startsWith(id + ":resume-"));
        }
    }
}
