package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchApiTest {

    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer()
                .respond(r -> r.path().contains("/missing-") ? StubServer.Reply.json(404, "{\"error\":\"instance not found\"}")
                        : StubServer.Reply.json(200, "{\"state\":\"running\"}"));
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start", "retries", "1",
                        "retry-delay", "10ms"))
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    @Test
    void should_report_each_item_in_input_order_when_some_fail() {
        var response = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "mode", "sync",
                "items", java.util.List.of("i-1", "missing-2", 3)));

        assertThat(response.status()).isEqualTo(200);
        JsonNode summary = response.json();
        assertThat(summary.path("status").asText()).isEqualTo("completed");
        assertThat(summary.path("succeeded").asInt()).isEqualTo(2);
        assertThat(summary.path("failed").asInt()).isEqualTo(1);
        JsonNode results = summary.path("results");
        assertThat(results.get(0).path("id").asText()).isEqualTo("i-1");
        assertThat(results.get(1).path("error").asText()).isEqualTo("HTTP 404: instance not found");
        assertThat(results.get(2).path("id").isInt()).isTrue();
    }
}
