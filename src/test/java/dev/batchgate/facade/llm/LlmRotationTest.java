package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rotation on quota refusals, against the real app and an OpenAI-compatible stub; each test has its own pool. */
class LlmRotationTest {

    private FakeLlm llm;
    private BatchgateTestApp app;

    @AfterEach
    void stop() {
        app.close();
        llm.close();
    }

    private void start(String models) {
        app = new BatchgateTestApp()
                .with("batchgate.llm.url", llm.url())
                .with("batchgate.llm.api-key", "sk-rotation-test")
                .with("batchgate.llm.models", models)
                .with("batchgate.llm.cooldown", "30s")
                .with("batchgate.llm.retries", "0")
                .start();
    }

    private JsonNode generate(List<?> items, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("operation", "GENERATE_SCRIPT", "items", items));
        body.putAll(extra);
        return app.post("/v1/llm/batches", body).json();
    }

    @Test
    void should_move_the_call_to_the_next_model_when_the_first_answers_429() {
        llm = new FakeLlm().behave("m-a", call -> FakeLlm.quota(30));
        start("m-a:600,m-b:600,m-c:600");

        JsonNode summary = generate(List.of(Map.of("id", 1, "prompt", "one"), Map.of("id", 2, "prompt", "two"),
                Map.of("id", 3, "prompt", "three")), Map.of("mode", "sync", "concurrency", 1));

        assertThat(summary.path("succeeded").asInt()).isEqualTo(3);
        JsonNode first = summary.path("results").get(0);
        assertThat(first.path("model").asText()).isEqualTo("m-b");
        assertThat(first.path("attempts").asInt()).isEqualTo(2);
        List<FakeLlm.Call> callsForOne = llm.callsFor("one");
        assertThat(callsForOne).extracting(FakeLlm.Call::model).containsExactly("m-a", "m-b");
        assertThat(callsForOne).extracting(FakeLlm.Call::status).containsExactly(429, 200);
        // m-a stays exhausted for its Retry-After: the later items go straight to m-b
        assertThat(llm.calls("m-a")).hasSize(1);
        assertThat(summary.path("results").get(1).path("attempts").asInt()).isEqualTo(1);
        assertThat(summary.at("/llm/models/m-a/rateLimited").asInt()).isEqualTo(1);
        assertThat(summary.at("/llm/models/m-a/succeeded").asInt()).isZero();
        assertThat(summary.at("/llm/calls").asInt()).isEqualTo(4);
        JsonNode models = app.get("/v1/llm/models").json().path("models");
        assertThat(models.get(0).path("exhausted").asBoolean()).isTrue();
        assertThat(models.get(1).path("exhausted").asBoolean()).isFalse();
    }

    @Test
    void should_rotate_when_an_error_body_says_the_quota_is_used_up() {
        llm = new FakeLlm().behave("m-a", call -> FakeLlm.quotaBody());
        start("m-a:600,m-b:600");

        JsonNode summary = generate(List.of(Map.of("id", "x", "prompt", "hello")), Map.of("mode", "sync"));

        JsonNode result = summary.path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("model").asText()).isEqualTo("m-b");
        assertThat(llm.callsFor("hello")).extracting(FakeLlm.Call::status).containsExactly(403, 200);
    }

    @Test
    void should_fail_the_item_without_rotating_when_the_error_is_not_about_quota() {
        llm = new FakeLlm();
        start("m-a:600,m-b:600");

        JsonNode summary = generate(List.of(Map.of("id", 1, "prompt", "bad-request please"), Map.of("id", 2, "prompt", "malformed answer"),
                Map.of("id", 3, "prompt", "filtered words")), Map.of("mode", "sync"));

        assertThat(summary.path("failed").asInt()).isEqualTo(3);
        for (JsonNode result : summary.path("results")) {
            assertThat(result.path("attempts").asInt()).isEqualTo(1);
            assertThat(result.path("success").asBoolean()).isFalse();
        }
        for (String prompt : List.of("bad-request please", "malformed answer", "filtered words")) {
            assertThat(llm.callsFor(prompt)).hasSize(1);
        }
        assertThat(summary.path("results").get(0).path("error").asText()).startsWith("HTTP 400: Invalid request");
        assertThat(summary.path("results").get(1).path("error").asText()).contains("malformed answer");
        assertThat(summary.path("results").get(2).path("error").asText()).contains("content_filter");
        assertThat(app.get("/v1/llm/models").json().path("models")).allSatisfy(m -> assertThat(m.path("exhausted").asBoolean()).isFalse());
    }

    @Test
    void should_wait_for_the_first_model_to_come_back_when_every_model_is_exhausted() {
        llm = new FakeLlm();
        java.util.Set<String> refusedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (String model : List.of("m-a", "m-b")) {
            llm.behave(model, call -> refusedOnce.add(model) ? FakeLlm.quota(1) : null);
        }
        start("m-a:600,m-b:600");

        JsonNode summary = generate(List.of(Map.of("id", 7, "prompt", "patient")), Map.of("mode", "sync"));

        JsonNode result = summary.path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("attempts").asInt()).isEqualTo(3);
        List<FakeLlm.Call> calls = llm.callsFor("patient");
        assertThat(calls).extracting(FakeLlm.Call::status).containsExactly(429, 429, 200);
        assertThat(calls).extracting(FakeLlm.Call::model).containsExactly("m-a", "m-b", "m-a");
        // nothing was sent to m-a before its Retry-After of one second had passed
        assertThat(calls.get(2).atNanos() - calls.get(0).atNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(950));
        assertThat(summary.at("/llm/calls").asInt()).isEqualTo(3);
        assertThat(summary.at("/llm/models/m-a/rateLimited").asInt()).isEqualTo(1);
        assertThat(summary.at("/llm/models/m-b/rateLimited").asInt()).isEqualTo(1);
    }

    @Test
    void should_cancel_an_item_waiting_for_an_exhausted_pool_when_the_batch_is_cancelled() {
        llm = new FakeLlm().behave("m-a", call -> FakeLlm.quota(120)).behave("m-b", call -> FakeLlm.quota(120));
        start("m-a:600,m-b:600");

        String id = generate(List.of(Map.of("id", 1, "prompt", "stuck")), Map.of()).path("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> llm.calls().size() == 2);
        assertThat(app.get("/v1/batches/" + id).json().path("status").asText()).isEqualTo("running");
        assertThat(app.post("/v1/batches/" + id + "/cancel", Map.of()).status()).isEqualTo(202);

        JsonNode summary = app.awaitFinished(id);
        assertThat(summary.path("status").asText()).isEqualTo("cancelled");
        JsonNode result = app.get("/v1/batches/" + id + "/results").json().path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("cancelled");
        assertThat(result.path("error").asText()).contains("HTTP 429");
        assertThat(llm.calls()).hasSize(2);
    }
}
