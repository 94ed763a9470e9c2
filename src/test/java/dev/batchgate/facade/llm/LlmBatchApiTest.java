package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The LLM facade's HTTP contract against the real app and an OpenAI-compatible stub with ample rate limits. */
class LlmBatchApiTest {

    private static final String API_KEY = "sk-batch-api-test-7f3a9c";
    private static final Map<String, ModelPrice> PRICES = Map.of("main", ModelPrice.parse("main", "1.25,10"),
            "backup", ModelPrice.parse("backup", "0.30,2.50"));

    static FakeLlm llm;
    static BatchgateTestApp app;
    static ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.batchgate")).setLevel(Level.DEBUG);
        llm = new FakeLlm();
        app = new BatchgateTestApp()
                .with("batchgate.llm.url", llm.url())
                .with("batchgate.llm.api-key", API_KEY)
                .with("batchgate.llm.models", "main:6000,backup:6000")
                .with("batchgate.llm.prices.main", "1.25,10")
                .with("batchgate.llm.prices.backup", "0.30,2.50")
                .with("batchgate.llm.timeout", "1s")
                .with("batchgate.llm.retries", "1")
                .with("batchgate.llm.retry-delay", "50ms")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        llm.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.batchgate")).setLevel(Level.INFO);
    }

    private static BigDecimal cost(FakeLlm.Call call) {
        long in = call.status() == 200 ? FakeLlm.inputTokens(call.prompt()) : 0;
        long out = call.status() == 200 ? FakeLlm.OUTPUT_TOKENS : 0;
        return PRICES.get(call.model()).cost(in, out);
    }

    private static Map<String, Object> request(List<?> items, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("operation", "GENERATE_SCRIPT", "items", items));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    @Test
    void should_echo_integer_ids_and_give_the_seeds_result_fields_when_prompts_succeed() {
        BatchgateTestApp.Response response = app.post("/v1/llm/batches", request(List.of(
                Map.of("id", 1, "prompt", "hello world"), Map.of("id", "two", "prompt", "json please")),
                "mode", "sync", "temperature", 0.7, "maxTokens", 100));

        assertThat(response.status()).isEqualTo(200);
        JsonNode summary = response.json();
        assertThat(summary.path("target").asText()).isEqualTo("llm");
        assertThat(summary.path("operation").asText()).isEqualTo("GENERATE_SCRIPT");
        JsonNode first = summary.path("results").get(0);
        assertThat(first.path("id").isInt()).isTrue();
        assertThat(first.path("id").asInt()).isEqualTo(1);
        assertThat(first.path("success").asBoolean()).isTrue();
        assertThat(first.path("content").asText()).isEqualTo("answer to hello world");
        assertThat(first.path("data").isNull()).isTrue();
        assertThat(first.path("attempts").asInt()).isEqualTo(1);
        assertThat(first.at("/tokens/input").asLong()).isEqualTo(11);
        assertThat(first.at("/tokens/output").asLong()).isEqualTo(FakeLlm.OUTPUT_TOKENS);
        FakeLlm.Call call = llm.callsFor("hello world").get(0);
        assertThat(first.path("model").asText()).isEqualTo(call.model());
        assertThat(first.path("costUsd").decimalValue()).isEqualByComparingTo(cost(call));
        JsonNode second = summary.path("results").get(1);
        assertThat(second.path("id").asText()).isEqualTo("two");
        assertThat(second.at("/data/description").asText()).isEqualTo("about json please");
        assertThat(call.request().path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(call.request().path("max_tokens").asInt()).isEqualTo(100);
        assertThat(call.request().at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(call.authorization()).isEqualTo("Bearer " + API_KEY);
        assertThat(summary.at("/llm/calls").asInt()).isEqualTo(2);
        assertThat(summary.at("/llm/tokens/total").asLong()).isEqualTo(11 + 11 + 2 * FakeLlm.OUTPUT_TOKENS);
        BigDecimal expected = cost(call).add(cost(llm.callsFor("json please").get(0)));
        assertThat(summary.at("/llm/costUsd").decimalValue()).isEqualByComparingTo(expected);
    }

    @Test
    void should_be_followed_like_any_batch_when_it_runs_async() {
        BatchgateTestApp.Response response = app.post("/v1/llm/batches", request(List.of(
                Map.of("id", 10, "messages",
                        List.of(Map.of("role", "system", "content", "terse"), Map.of("role", "user", "content", "async one"))),
                Map.of("id", 11, "prompt", "async two"))));

        assertThat(response.status()).isEqualTo(202);
        String id = response.json().path("id").asText();
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/batches/" + id);
        JsonNode summary = app.awaitFinished(id);
        assertThat(summary.path("progress").asDouble()).isEqualTo(100.0);
        assertThat(summary.path("succeeded").asInt()).isEqualTo(2);
        assertThat(app.get("/v1/batches?target=llm").json().path("batches"))
                .anySatisfy(b -> assertThat(b.path("id").asText()).isEqualTo(id));
        JsonNode results = app.get("/v1/batches/" + id + "/results").json();
        assertThat(results.path("results").get(0).path("content").asText()).isEqualTo("answer to async one");
        assertThat(llm.callsFor("async one").get(0).request().path("messages").size()).isEqualTo(2);
        String events = app.send(HttpRequest.newBuilder(URI.create(app.url("/v1/batches/" + id + "/events"))).GET()).text();
        assertThat(events).contains("event: snapshot").contains("event: done");
    }

    @Test
    void should_store_one_usage_row_per_call_and_add_them_up_when_the_usage_query_groups() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String projectA = "proj-a-" + run;
        String projectB = "proj-b-" + run;
        JsonNode a = app.post("/v1/llm/batches", request(List.of(Map.of("id", 1, "prompt", "usage " + run + " a1"),
                Map.of("id", 2, "prompt", "usage " + run + " a2"), Map.of("id", 3, "prompt", "bad-request " + run)),
                "mode", "sync", "metadata", Map.of("projectId", projectA))).json();
        JsonNode b = app.post("/v1/llm/batches", request(List.of(Map.of("id", 1, "prompt", "usage " + run + " b1")),
                "mode", "sync", "metadata", Map.of("projectId", projectB))).json();
        assertThat(a.path("failed").asInt()).isEqualTo(1);

        List<FakeLlm.Call> callsA = llm.calls().stream().filter(c -> c.prompt().contains(run) && !c.prompt().contains(" b1")).toList();
        JsonNode byModel = app.get("/v1/llm/usage?since=1h&groupBy=operation,model&batchId=" + a.path("id").asText()).json();
        assertThat(byModel.at("/totals/requests").asInt()).isEqualTo(callsA.size()).isEqualTo(3);
        assertThat(byModel.at("/totals/failed").asInt()).isEqualTo(1);
        for (JsonNode group : byModel.path("groups")) {
            List<FakeLlm.Call> calls = callsA.stream().filter(c -> c.model().equals(group.path("model").asText())).toList();
            assertThat(group.path("operation").asText()).isEqualTo("GENERATE_SCRIPT");
            assertThat(group.path("requests").asInt()).isEqualTo(calls.size());
            assertThat(group.path("inputTokens").asLong()).isEqualTo(calls.stream().filter(c -> c.status() == 200)
                    .mapToLong(c -> FakeLlm.inputTokens(c.prompt())).sum());
            assertThat(group.path("costUsd").decimalValue()).isEqualByComparingTo(
                    calls.stream().map(LlmBatchApiTest::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
        }

        JsonNode byProject = app.get("/v1/llm/usage?since=1h&groupBy=metadata.projectId").json();
        JsonNode groupA = find(byProject, "metadata.projectId", projectA);
        JsonNode groupB = find(byProject, "metadata.projectId", projectB);
        assertThat(groupA.path("requests").asInt()).isEqualTo(3);
        assertThat(groupA.path("outputTokens").asLong()).isEqualTo(2 * FakeLlm.OUTPUT_TOKENS);
        assertThat(groupA.path("costUsd").decimalValue()).isEqualByComparingTo(a.at("/llm/costUsd").decimalValue());
        assertThat(groupB.path("requests").asInt()).isEqualTo(1);
        assertThat(groupB.path("inputTokens").asLong()).isEqualTo(b.at("/llm/tokens/input").asLong());
    }

    private static JsonNode find(JsonNode usage, String field, String value) {
        for (JsonNode group : usage.path("groups")) {
            if (group.path(field).asText().equals(value)) {
                return group;
            }
        }
        throw new AssertionError("no group with " + field + " = " + value + " in " + usage);
    }

    @Test
    void should_fail_a_call_after_its_timeout_and_retries_and_run_it_again_when_the_batch_is_retried() {
        JsonNode summary = app.post("/v1/llm/batches", request(List.of(Map.of("id", 5, "prompt", "slow:3000 answer")),
                "mode", "sync")).json();

        JsonNode result = summary.path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("attempts").asInt()).isEqualTo(2);
        assertThat(result.path("error").asText()).isEqualTo("timed out after 1000 ms");
        assertThat(summary.at("/llm/calls").asInt()).isEqualTo(2);

        BatchgateTestApp.Response retry = app.post("/v1/batches/" + summary.path("id").asText() + "/retry", Map.of());
        assertThat(retry.status()).isEqualTo(202);
        JsonNode again = app.awaitFinished(retry.json().path("id").asText());
        assertThat(again.path("target").asText()).isEqualTo("llm");
        assertThat(again.at("/llm/calls").asInt()).isEqualTo(2);
        assertThat(llm.callsFor("slow:3000 answer")).hasSize(4);
    }

    @Test
    void should_refuse_bad_requests_with_field_and_index_details_and_never_a_500() {
        BatchgateTestApp.Response bad = app.post("/v1/llm/batches", request(List.of(Map.of("id", 1), Map.of("id", 1, "prompt", "x"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("details")).anySatisfy(d -> {
            assertThat(d.path("field").asText()).isEqualTo("items[0]");
            assertThat(d.path("index").asInt()).isZero();
        });
        assertThat(app.post("/v1/llm/batches", "{not json").status()).isEqualTo(400);
        assertThat(app.send(HttpRequest.newBuilder(URI.create(app.url("/v1/llm/batches")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("operation=x"))).status()).isEqualTo(415);
        BatchgateTestApp.Response groupBy = app.get("/v1/llm/usage?groupBy=model,apiKey");
        assertThat(groupBy.status()).isEqualTo(400);
        assertThat(groupBy.json().at("/details/0/field").asText()).isEqualTo("groupBy");
        assertThat(app.get("/v1/llm/usage?since=yesterday").status()).isEqualTo(400);
    }

    @Test
    void should_never_show_the_api_key_when_the_provider_echoes_it_in_an_error() {
        JsonNode summary = app.post("/v1/llm/batches", request(List.of(Map.of("id", 1, "prompt", "bad-request echo")),
                "mode", "sync")).json();

        assertThat(llm.callsFor("bad-request echo").get(0).authorization()).isEqualTo("Bearer " + API_KEY);
        JsonNode result = summary.path("results").get(0);
        assertThat(result.path("error").asText()).startsWith("HTTP 400: Invalid request; key used: ").endsWith("***")
                .doesNotContain(API_KEY);
        String id = summary.path("id").asText();
        for (String path : List.of("/v1/batches/" + id, "/v1/batches/" + id + "/results", "/v1/llm/usage?groupBy=status",
                "/v1/llm/models", "/v1/targets")) {
            assertThat(app.get(path).text()).as(path).doesNotContain(API_KEY);
        }
        assertThat(summary.toString()).doesNotContain(API_KEY);
        assertThat(logs.list).isNotEmpty().allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(API_KEY));
    }
}
