package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Finished batches older than batchgate.retention are removed, with their idempotency keys; running ones stay. */
class RetentionTest {

    @Test
    void should_remove_finished_batches_past_the_retention_and_keep_running_ones() {
        try (StubServer stub = new StubServer();
                BatchgateTestApp app = new BatchgateTestApp().with("batchgate.retention", "2s")
                        .with("batchgate.retention-interval", "200ms").with("batchgate.shutdown-timeout", "1s")
                        .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}"))
                        .target("slow", stub.url(), Map.of("operations.process", "POST /items/{id}", "rpm", "1")).start()) {
            Map<String, String> key = Map.of("Idempotency-Key", "kept-for-a-while");
            Map<String, Object> body = Map.of("target", "svc", "operation", "process", "items", List.of("a"));
            String finished = app.post("/v1/batches", body, key).json().path("id").asText();
            app.awaitFinished(finished);
            String running = app.post("/v1/batches", Map.of("target", "slow", "operation", "process", "items", List.of("b", "c")))
                    .json().path("id").asText();

            await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/v1/batches/" + finished).status() == 404);

            assertThat(app.get("/v1/batches/" + running).json().path("status").asText()).isEqualTo("running");
            var again = app.post("/v1/batches", body, key);
            assertThat(again.status()).isEqualTo(202);
            assertThat(again.json().path("id").asText()).isNotEqualTo(finished);
        }
    }
}
