package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitWaitTest {

    @Test
    void should_cancel_the_items_waiting_for_the_rate_limit_when_the_batch_is_cancelled() {
        try (StubServer stub = new StubServer();
                BatchgateTestApp app = new BatchgateTestApp()
                        .target("svc", stub.url(), Map.of("rpm", "1", "concurrency", "5",
                                "operations.start", "POST /instances/{id}/start"))
                        .start()) {
            String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start",
                    "items", List.of("a", "b", "c"))).json().get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> stub.requests().size() == 1);

            app.post("/v1/batches/" + id + "/cancel", "");
            JsonNode summary = app.awaitFinished(id);

            assertThat(summary.get("status").asText()).isEqualTo("cancelled");
            assertThat(summary.get("succeeded").asInt()).isEqualTo(1);
            assertThat(summary.get("cancelled").asInt()).isEqualTo(2);
            assertThat(stub.requests()).hasSize(1);
            assertThat(app.get("/v1/targets/svc").json().at("/live/inFlight").asInt())
                    .as("no permit kept by a cancelled wait").isZero();
        }
    }
}
