package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What happens to one item on each kind of downstream answer: success, failure, retries, 429, timeouts. */
class ItemOutcomesTest {

    static StubServer stub;
    static BatchgateTestApp app;
    static final Map<String, AtomicInteger> attemptsByPath = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(ItemOutcomesTest::answer);
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start", "retries", "2",
                        "retry-delay", "20ms", "timeout", "500ms"))
                .target("paced", stub.url(), Map.of("operations.start", "POST /paced/{id}/start", "retries", "0",
                        "rpm", "600", "concurrency", "1"))
                .target("closed", "http://127.0.0.1:" + BatchgateTestApp.freePort(), Map.of(
                        "operations.start", "POST /instances/{id}/start", "retries", "1", "retry-delay", "10ms"))
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    /** The id prefix says how the stub answers: ok, missing (404), bad (400), flaky (503 twice), down (503), slow, limited (429 once). */
    static Reply answer(StubServer.Recorded request) {
        String path = request.path();
        int attempt = attemptsByPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String id = path.split("/")[2];
        if (id.startsWith("missing-")) {
            return Reply.json(404, "{\"error\":\"instance not found\"}");
        }
        if (id.startsWith("bad-")) {
            return Reply.json(400, "{\"message\":\"bad request\"}");
        }
        if (id.startsWith("flaky-") && attempt <= 2) {
            return Reply.json(503, "{\"error\":\"try later\"}");
        }
        if (id.startsWith("down-")) {
            return Reply.json(503, "{\"error\":\"unavailable\"}");
        }
        if (id.startsWith("slow-")) {
            return Reply.ok().after(Duration.ofSeconds(2));
        }
        if (id.startsWith("limited-") && attempt == 1) {
            return Reply.json(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "1");
        }
        if (id.startsWith("late-")) {
            return Reply.json(200, "{\"state\":\"running\"}").after(Duration.ofMillis(Long.parseLong(id.substring(5)) * 40));
        }
        return Reply.json(200, "{\"state\":\"running\"}");
    }

    private static JsonNode runSync(String target, List<?> items) {
        var response = app.post("/v1/batches", Map.of("target", target, "operation", "start", "mode", "sync", "items", items));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static List<StubServer.Recorded> calls(String idPrefix) {
        return stub.requests().stream().filter(r -> r.path().split("/")[2].startsWith(idPrefix)).toList();
    }

    @Test
    void should_report_every_item_in_input_order_when_items_finish_out_of_order_and_some_fail() {
        List<Object> items = new ArrayList<>();
        IntStream.range(0, 8).forEach(i -> items.add("late-" + (8 - i)));
        items.add(2, "missing-order");

        JsonNode summary = runSync("svc", items);

        assertThat(summary.path("status").asText()).isEqualTo("completed");
        assertThat(summary.path("total").asInt()).isEqualTo(9);
        assertThat(summary.path("succeeded").asInt()).isEqualTo(8);
        assertThat(summary.path("failed").asInt()).isEqualTo(1);
        List<String> ids = new ArrayList<>();
        summary.path("results").forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).containsExactlyElementsOf(items.stream().map(Object::toString).toList());
        JsonNode failed = summary.path("results").get(2);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("httpStatus").asInt()).isEqualTo(404);
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);
        assertThat(failed.path("error").asText()).isEqualTo("HTTP 404: instance not found");
        assertThat(summary.path("results").get(0).path("response").path("state").asText()).isEqualTo("running");
    }

    @Test
    void should_succeed_with_the_same_idempotency_key_on_every_attempt_when_retries_overcome_failures() {
        JsonNode summary = runSync("svc", List.of("flaky-1"));

        JsonNode result = summary.path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("attempts").asInt()).isEqualTo(3);
        List<String> keys = calls("flaky-1").stream().map(r -> r.header("Idempotency-Key")).toList();
        assertThat(keys).hasSize(3).containsOnly(summary.path("id").asText() + ":flaky-1:start");
    }

    @Test
    void should_fail_the_item_after_the_last_retry_when_the_downstream_stays_down() {
        JsonNode summary = runSync("svc", List.of("down-1", "ok-down"));

        JsonNode result = summary.path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("attempts").asInt()).isEqualTo(3);
        assertThat(result.path("httpStatus").asInt()).isEqualTo(503);
        assertThat(result.path("error").asText()).isEqualTo("HTTP 503: unavailable");
        assertThat(calls("down-1")).hasSize(3);
        assertThat(summary.path("results").get(1).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void should_fail_at_once_without_retrying_when_the_status_is_not_retryable() {
        JsonNode summary = runSync("svc", List.of("bad-1"));

        JsonNode result = summary.path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("attempts").asInt()).isEqualTo(1);
        assertThat(result.path("error").asText()).isEqualTo("HTTP 400: bad request");
        assertThat(calls("bad-1")).hasSize(1);
    }

    @Test
    void should_retry_then_fail_the_item_when_the_downstream_answers_after_the_timeout() {
        JsonNode summary = runSync("svc", List.of("slow-1"));

        JsonNode result = summary.path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("attempts").asInt()).isEqualTo(3);
        assertThat(result.path("error").asText()).isEqualTo("timed out after 500 ms");
        assertThat(result.has("httpStatus")).isFalse();
    }

    @Test
    void should_retry_then_fail_the_item_when_the_downstream_refuses_connections() {
        JsonNode summary = runSync("closed", List.of("conn-1"));

        JsonNode result = summary.path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("attempts").asInt()).isEqualTo(2);
        assertThat(result.path("error").asText()).startsWith("connection failed");
    }

    @Test
    void should_pause_the_whole_target_without_using_a_retry_when_the_downstream_answers_429() {
        JsonNode summary = runSync("paced", List.of("limited-1", "ok-after-429", "ok-after-429b"));

        assertThat(summary.path("succeeded").asInt()).isEqualTo(3);
        JsonNode limited = summary.path("results").get(0);
        assertThat(limited.path("attempts").asInt()).isEqualTo(2);
        List<StubServer.Recorded> calls = stub.requests("/paced/");
        assertThat(calls).hasSize(4);
        // nothing reached the target during the 1 s Retry-After pause
        long pauseMs = (calls.get(1).atNanos() - calls.get(0).atNanos()) / 1_000_000;
        assertThat(pauseMs).isGreaterThanOrEqualTo(950);
        JsonNode target = app.get("/v1/targets/paced").json();
        assertThat(target.path("effectiveRpm").asDouble()).isEqualTo(300.0);
    }

    @Test
    void should_send_each_id_as_one_encoded_path_segment_when_ids_hold_slashes_dots_unicode_and_spaces() {
        List<Object> items = List.of("a/b", "../admin", "ünï code", "with space", "50%", "q?x#y", "p+q", 42);

        JsonNode summary = runSync("svc", items);

        assertThat(summary.path("succeeded").asInt()).isEqualTo(items.size());
        String batchId = summary.path("id").asText();
        Map<String, String> pathToKey = new java.util.HashMap<>();
        stub.requests().stream().filter(r -> r.header("Idempotency-Key").startsWith(batchId))
                .forEach(r -> pathToKey.put(r.path(), r.header("Idempotency-Key")));
        assertThat(pathToKey).containsOnlyKeys("/instances/a%2Fb/start", "/instances/..%2Fadmin/start",
                "/instances/%C3%BCn%C3%AF%20code/start", "/instances/with%20space/start", "/instances/50%25/start",
                "/instances/q%3Fx%23y/start", "/instances/p%2Bq/start", "/instances/42/start");
        assertThat(pathToKey.get("/instances/a%2Fb/start")).isEqualTo(batchId + ":a%2Fb:start");
        assertThat(pathToKey.get("/instances/%C3%BCn%C3%AF%20code/start")).isEqualTo(batchId + ":%C3%BCn%C3%AF%20code:start");
    }

    @Test
    void should_echo_integer_ids_as_integers_when_items_are_numbers() {
        JsonNode summary = runSync("svc", List.of(7, "7x", 9_007_199_254_740_993L));

        JsonNode results = summary.path("results");
        assertThat(results.get(0).path("id").isIntegralNumber()).isTrue();
        assertThat(results.get(0).path("id").asLong()).isEqualTo(7);
        assertThat(results.get(1).path("id").isTextual()).isTrue();
        assertThat(results.get(2).path("id").asLong()).isEqualTo(9_007_199_254_740_993L);
        String page = app.get("/v1/batches/" + summary.path("id").asText() + "/results").text();
        assertThat(page).contains("\"id\":7,").contains("\"id\":9007199254740993,");
    }
}
