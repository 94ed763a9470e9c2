package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A plain call runs asynchronously; whatever follows its first attempt (a retry, a 429, a full result queue) still happens. */
class AsyncItemCallTest {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private int callNumber(StubServer.Recorded request) {
        return calls.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
    }

    @Test
    void should_retry_a_plain_call_when_its_first_attempt_answers_503() {
        try (StubServer stub = new StubServer().respond(r -> callNumber(r) == 1 ? StubServer.Reply.json(503, "{}")
                : StubServer.Reply.ok());
                BatchgateTestApp app = new BatchgateTestApp().target("svc", stub.url(), Map.of("retries", "1",
                        "retry-delay", "10ms", "operations.start", "POST /instances/{id}/start")).start()) {
            String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "items", List.of("a", "b")))
                    .json().get("id").asText();

            JsonNode summary = app.awaitFinished(id);

            assertThat(summary.get("succeeded").asInt()).isEqualTo(2);
            JsonNode results = app.get("/v1/batches/" + id + "/results").json().get("results");
            assertThat(results).extracting(r -> r.get("attempts").asInt()).containsExactly(2, 2);
            assertThat(results).extracting(r -> r.get("httpStatus").asInt()).containsExactly(200, 200);
        }
    }

    @Test
    void should_fail_a_plain_call_when_its_retries_run_out() {
        try (StubServer stub = new StubServer().respond(r -> StubServer.Reply.json(503, "{\"error\":\"down\"}"));
                BatchgateTestApp app = new BatchgateTestApp().target("svc", stub.url(), Map.of("retries", "2",
                        "retry-delay", "10ms", "circuit-breaker.failures", "0",
                        "operations.start", "POST /instances/{id}/start")).start()) {
            String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "items", List.of("a")))
                    .json().get("id").asText();

            JsonNode summary = app.awaitFinished(id);

            assertThat(summary.get("failed").asInt()).isEqualTo(1);
            JsonNode result = app.get("/v1/batches/" + id + "/results").json().get("results").get(0);
            assertThat(result.get("attempts").asInt()).isEqualTo(3);
            assertThat(result.get("httpStatus").asInt()).isEqualTo(503);
            assertThat(stub.requests()).hasSize(3);
        }
    }

    @Test
    void should_call_again_without_using_a_retry_when_the_first_attempt_answers_429() {
        try (StubServer stub = new StubServer().respond(r -> callNumber(r) == 1
                ? StubServer.Reply.json(429, "{}").withHeader("Retry-After", "1") : StubServer.Reply.ok());
                BatchgateTestApp app = new BatchgateTestApp().target("svc", stub.url(), Map.of("retries", "0",
                        "operations.start", "POST /instances/{id}/start")).start()) {
            String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "items", List.of("a")))
                    .json().get("id").asText();

            JsonNode summary = app.awaitFinished(id);

            assertThat(summary.get("succeeded").asInt()).isEqualTo(1);
            assertThat(app.get("/v1/batches/" + id + "/results").json().at("/results/0/attempts").asInt()).isEqualTo(2);
        }
    }

    @Test
    void should_finish_every_item_when_the_result_queue_has_room_for_one() {
        try (StubServer stub = new StubServer();
                BatchgateTestApp app = new BatchgateTestApp().with("batchgate.store.max-unwritten-results", "1")
                        .target("svc", stub.url(), Map.of("concurrency", "16", "operations.start", "POST /instances/{id}/start"))
                        .start()) {
            List<String> items = IntStream.range(0, 300).mapToObj(i -> "i-" + i).toList();
            String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "items", items))
                    .json().get("id").asText();

            JsonNode summary = app.awaitFinished(id);

            assertThat(summary.get("succeeded").asInt()).isEqualTo(300);
            assertThat(app.get("/v1/batches/" + id + "/results?status=succeeded&limit=1000").json().get("total").asInt())
                    .isEqualTo(300);
        }
    }
}
