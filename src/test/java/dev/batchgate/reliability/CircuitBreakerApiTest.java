package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A target that is down opens its circuit: items wait instead of burning their retries, and go on once it is back. */
class CircuitBreakerApiTest {

    private static final int ITEMS = 20;
    private static final int CONCURRENCY = 4;
    private static final int THRESHOLD = 3;

    @Test
    void should_hold_items_while_the_target_is_down_and_finish_them_when_it_is_back() {
        boolean[] down = {true};
        try (StubServer stub = new StubServer().respond(r -> down[0] ? StubServer.Reply.json(503, "{\"error\":\"down\"}")
                : StubServer.Reply.ok());
                BatchgateTestApp app = new BatchgateTestApp().target("svc", stub.url(), Map.of(
                        "operations.process", "POST /items/{id}", "concurrency", Integer.toString(CONCURRENCY),
                        "retries", "2", "retry-delay", "10ms",
                        "circuit-breaker.failures", Integer.toString(THRESHOLD), "circuit-breaker.cool-down", "1s")).start()) {
            String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "process",
                    "items", IntStream.range(0, ITEMS).mapToObj(i -> "item-" + i).toList())).json().path("id").asText();

            await().atMost(Duration.ofSeconds(30)).until(() -> circuit(app).path("state").asText().equals("open"));
            // while it is open nothing fails: the items wait for the target, not for their retries to run out
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> app.get("/v1/batches/" + id).json().path("failed").asInt() == 0);
            long callsWhileDown = stub.requests().size();
            down[0] = false;

            JsonNode summary = app.awaitFinished(id);
            assertThat(summary.path("succeeded").asInt()).isEqualTo(ITEMS);
            assertThat(summary.path("failed").asInt()).isZero();
            // the threshold, the calls already in flight when it opened, and one probe per cool-down
            assertThat(callsWhileDown).isLessThanOrEqualTo(THRESHOLD + CONCURRENCY + 3);
            assertThat(circuit(app).path("state").asText()).isEqualTo("closed");
            assertThat(circuit(app).path("timesOpened").asInt()).isPositive();
            System.out.printf("circuit breaker: %d items on a target answering 503, %d calls while it was down, 0 items failed%n",
                    ITEMS, callsWhileDown);
        }
    }

    private static JsonNode circuit(BatchgateTestApp app) {
        for (JsonNode target : app.get("/v1/targets").json().path("targets")) {
            if (target.path("name").asText().equals("svc")) {
                return target.path("circuit");
            }
        }
        throw new AssertionError("target svc not listed");
    }
}
