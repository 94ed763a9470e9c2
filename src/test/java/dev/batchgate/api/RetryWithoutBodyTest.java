package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryWithoutBodyTest {

    @Test
    void should_retry_the_failed_items_when_the_retry_request_has_no_body_at_all() {
        try (StubServer stub = new StubServer().respond(r -> r.path().contains("/missing-")
                ? StubServer.Reply.json(404, "{}") : StubServer.Reply.ok());
                BatchgateTestApp app = new BatchgateTestApp()
                        .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start")).start()) {
            String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "mode", "sync",
                    "items", List.of("i-1", "missing-2"))).json().path("id").asText();

            var retry = app.send(HttpRequest.newBuilder(URI.create(app.url("/v1/batches/" + id + "/retry")))
                    .POST(HttpRequest.BodyPublishers.noBody()));

            assertThat(retry.status()).isEqualTo(202);
            assertThat(app.awaitFinished(retry.json().path("id").asText()).path("total").asInt()).isEqualTo(1);
        }
    }
}
