package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    @Test
    void should_run_every_item_when_the_batch_has_more_items_than_its_concurrency() {
        try (StubServer stub = new StubServer();
                BatchgateTestApp app = new BatchgateTestApp()
                        .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start")).start()) {
            String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "concurrency", 1,
                    "items", List.of("a", "b", "c"))).json().get("id").asText();

            JsonNode summary = app.awaitFinished(id);

            assertThat(summary.get("succeeded").asInt()).isEqualTo(3);
            assertThat(stub.requests()).extracting(StubServer.Recorded::path)
                    .containsExactly("/instances/a/start", "/instances/b/start", "/instances/c/start");
        }
    }
}
