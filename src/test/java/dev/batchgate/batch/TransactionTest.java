package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Recorded;
import dev.batchgate.testing.StubServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions against a stub that records every call: what is rolled back, in which order, and what is never called. */
class TransactionTest {

    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp()
                .target("tx", stub.url(), Map.ofEntries(
                        Map.entry("retries", "0"),
                        Map.entry("operations.start", "POST /i/{id}/start"),
                        Map.entry("operations.start.rollback", "stop"),
                        Map.entry("operations.stop", "POST /i/{id}/stop"),
                        Map.entry("operations.stop.rollback", "start"),
                        Map.entry("operations.prepare", "POST /i/{id}/prepare"),
                        Map.entry("operations.prepare.rollback", "unprepare"),
                        Map.entry("operations.unprepare", "POST /i/{id}/unprepare"),
                        Map.entry("operations.deploy", "POST /i/{id}/deploy"),
                        Map.entry("operations.deploy.rollback", "undeploy"),
                        Map.entry("operations.undeploy", "POST /i/{id}/undeploy"),
                        Map.entry("operations.notify", "POST /i/{id}/notify"),
                        Map.entry("operations.start-checked", "POST /i/{id}/start"),
                        Map.entry("operations.start-checked.rollback", "stop"),
                        Map.entry("operations.start-checked.check", "GET /i/{id}"),
                        Map.entry("operations.start-checked.check-expect", "$.state == 'stopped'")))
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    @BeforeEach
    void reset() {
        stub.reset();
        stub.respond(r -> r.path().contains("/boom-") && (r.path().endsWith("/start") || r.path().endsWith("/deploy"))
                ? Reply.json(500, "{\"error\":\"host down\"}") : Reply.json(200, "{\"state\":\"running\"}"));
    }

    @Test
    void should_roll_back_exactly_the_succeeded_items_with_rollback_keys_when_an_item_fails() {
        JsonNode summary = app.post("/v1/batches", Map.of("target", "tx", "operation", "start", "transaction", true,
                "concurrency", 1, "mode", "sync", "items", List.of("i-1", "i-2", "boom-3", "i-4", "i-5"))).json();

        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("transaction_rolled_back");
        assertThat(summary.path("rollback").toString())
                .isEqualTo("{\"attempted\":2,\"succeeded\":2,\"failed\":0,\"cause\":\"item_failed\"}");
        assertThat(statuses(summary)).containsExactly("rolled_back", "rolled_back", "failed", "cancelled", "cancelled");
        assertThat(paths(stub.requests())).containsExactly("/i/i-1/start", "/i/i-2/start", "/i/boom-3/start",
                "/i/i-1/stop", "/i/i-2/stop");
        String id = summary.path("id").asText();
        assertThat(stub.requests().stream().filter(r -> r.path().endsWith("/stop")).map(r -> r.header("Idempotency-Key")))
                .containsExactly(id + ":i-1:rollback-start", id + ":i-2:rollback-start");
        assertThat(summary.path("rolledBack").asInt()).isEqualTo(2);
        assertThat(summary.path("results").get(0).path("rollback").get(0).path("operation").asText()).isEqualTo("stop");
    }

    @Test
    void should_undo_a_composite_item_s_steps_in_reverse_order_when_the_transaction_rolls_back() {
        JsonNode summary = app.post("/v1/batches", Map.of("target", "tx", "operation", List.of("prepare", "deploy"),
                "transaction", true, "concurrency", 1, "mode", "sync", "items", List.of("a", "boom-b"))).json();

        assertThat(summary.path("reason").asText()).isEqualTo("transaction_rolled_back");
        assertThat(paths(stub.requests())).containsExactly("/i/a/prepare", "/i/a/deploy", "/i/boom-b/prepare",
                "/i/boom-b/deploy", "/i/a/undeploy", "/i/a/unprepare", "/i/boom-b/unprepare");
        JsonNode a = summary.path("results").get(0);
        assertThat(a.path("status").asText()).isEqualTo("rolled_back");
        assertThat(a.path("rollback").findValuesAsText("rollbackOf")).containsExactly("deploy", "prepare");
        JsonNode b = summary.path("results").get(1);
        assertThat(b.path("status").asText()).isEqualTo("failed");
        assertThat(b.path("steps").findValuesAsText("status")).containsExactly("succeeded", "failed");
        assertThat(b.path("rollback").findValuesAsText("operation")).containsExactly("unprepare");
        assertThat(summary.path("rollback").path("attempted").asInt()).isEqualTo(2);
    }

    @Test
    void should_refuse_with_400_before_any_call_when_a_composite_step_has_no_rollback() {
        var response = app.post("/v1/batches", Map.of("target", "tx", "operation", List.of("start", "notify"),
                "transaction", true, "items", List.of("i-1")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("details").get(0).path("field").asText()).isEqualTo("operation[1]");
        assertThat(response.json().path("error").asText()).contains("'notify' has no rollback");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void should_end_the_batch_before_a_single_changing_call_when_a_check_fails_in_a_transaction() {
        stub.respond(r -> Reply.json(200, r.path().equals("/i/x-running") ? "{\"state\":\"running\"}" : "{\"state\":\"stopped\"}"));

        JsonNode summary = app.post("/v1/batches", Map.of("target", "tx", "operation", "start-checked", "transaction", true,
                "concurrency", 1, "mode", "sync", "items", List.of("a", "b", "x-running", "c"))).json();

        assertThat(stub.requests()).allMatch(r -> r.method().equals("GET") && r.header("Idempotency-Key") == null);
        assertThat(paths(stub.requests())).containsExactly("/i/a", "/i/b", "/i/x-running");
        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("transaction_rolled_back");
        assertThat(summary.path("rollback").path("attempted").asInt()).isZero();
        assertThat(summary.path("rollback").path("cause").asText()).isEqualTo("check_failed");
        assertThat(statuses(summary)).containsExactly("cancelled", "cancelled", "failed", "cancelled");
        assertThat(summary.path("results").get(2).path("error").asText())
                .isEqualTo("check failed: expected $.state == 'stopped' but $.state was 'running'");
    }

    @Test
    void should_roll_back_every_started_item_including_calls_in_flight_when_the_deadline_cuts_a_transaction() {
        stub.respond(r -> r.path().endsWith("/start") ? Reply.json(200, "{}").after(Duration.ofMillis(300)) : Reply.ok());

        JsonNode summary = app.post("/v1/batches", Map.of("target", "tx", "operation", "start", "transaction", true,
                "concurrency", 2, "deadline", "1s", "mode", "sync", "items", ids(12))).json();

        Set<String> started = idsCalled("/start");
        assertThat(started).isNotEmpty().hasSizeLessThan(12);
        assertThat(idsCalled("/stop")).isEqualTo(started);
        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("transaction_rolled_back");
        assertThat(summary.path("rollback").path("cause").asText()).isEqualTo("deadline");
        assertThat(summary.path("rollback").path("succeeded").asInt()).isEqualTo(started.size());
        assertThat(summary.path("rolledBack").asInt()).isEqualTo(started.size());
        assertThat(summary.path("cancelled").asInt()).isEqualTo(12 - started.size());
    }

    @Test
    void should_still_roll_back_when_a_transaction_is_cancelled() {
        stub.respond(r -> r.path().endsWith("/start") ? Reply.json(200, "{}").after(Duration.ofMillis(200)) : Reply.ok());
        String id = app.post("/v1/batches", Map.of("target", "tx", "operation", "start", "transaction", true,
                "concurrency", 1, "items", ids(20))).json().path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> stub.requests("/i/").size() >= 2);

        assertThat(app.post("/v1/batches/" + id + "/cancel", "").status()).isEqualTo(202);
        JsonNode summary = app.awaitFinished(id);

        Set<String> started = idsCalled("/start");
        assertThat(idsCalled("/stop")).isEqualTo(started);
        assertThat(summary.path("status").asText()).isEqualTo("cancelled");
        assertThat(summary.path("reason").asText()).isEqualTo("transaction_rolled_back");
        assertThat(summary.path("rollback").path("cause").asText()).isEqualTo("cancelled");
        assertThat(summary.path("rolledBack").asInt()).isEqualTo(started.size());
    }

    @Test
    void should_make_no_changing_call_when_the_deadline_passes_during_the_checks() {
        stub.respond(r -> Reply.json(200, "{\"state\":\"stopped\"}").after(Duration.ofMillis(200)));

        JsonNode summary = app.post("/v1/batches", Map.of("target", "tx", "operation", "start-checked", "transaction", true,
                "concurrency", 1, "deadline", "500ms", "mode", "sync", "items", ids(10))).json();

        assertThat(stub.requests()).isNotEmpty().allMatch(r -> r.method().equals("GET"));
        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("transaction_rolled_back");
        assertThat(summary.path("rollback").path("cause").asText()).isEqualTo("deadline");
        assertThat(summary.path("cancelled").asInt()).isEqualTo(10);
    }

    static List<String> ids(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "i-" + i).toList();
    }

    static Set<String> idsCalled(String suffix) {
        return stub.requests().stream().filter(r -> r.path().endsWith(suffix))
                .map(r -> r.path().split("/")[2]).collect(Collectors.toSet());
    }

    static List<String> paths(List<Recorded> requests) {
        return requests.stream().map(Recorded::path).toList();
    }

    static List<String> statuses(JsonNode summary) {
        return StreamSupport.stream(summary.path("results").spliterator(), false).map(r -> r.path("status").asText()).toList();
    }
}
