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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chains, validation checks and await/settle against a stub that records every call. */
class ChainChecksAwaitTest {

    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.ofEntries(
                        Map.entry("retries", "0"),
                        Map.entry("operations.stop", "POST /i/{id}/stop"),
                        Map.entry("operations.start", "POST /i/{id}/start"),
                        Map.entry("operations.start.rollback", "stop"),
                        Map.entry("operations.resume", "POST /i/{id}/resume"),
                        Map.entry("operations.resume.check", "GET /i/{id}"),
                        Map.entry("operations.resume.check-expect", "$.state == 'paused'"),
                        Map.entry("operations.resume.check-mode", "skip"),
                        Map.entry("operations.pause", "POST /i/{id}/pause"),
                        Map.entry("operations.pause.check", "GET /i/{id}"),
                        Map.entry("operations.pause.check-expect", "$.state in ('running','idle')"),
                        Map.entry("operations.boot", "POST /i/{id}/start"),
                        Map.entry("operations.boot.rollback", "stop"),
                        Map.entry("operations.boot.await", "GET /i/{id}"),
                        Map.entry("operations.boot.await-field", "$.state"),
                        Map.entry("operations.boot.await-success", "running"),
                        Map.entry("operations.boot.await-failure", "failed,error"),
                        Map.entry("operations.boot.await-timeout", "600ms"),
                        Map.entry("operations.boot.await-interval", "50ms"),
                        Map.entry("operations.boot-patiently", "POST /i/{id}/start"),
                        Map.entry("operations.boot-patiently.await", "GET /i/{id}"),
                        Map.entry("operations.boot-patiently.await-field", "$.state"),
                        Map.entry("operations.boot-patiently.await-success", "running"),
                        Map.entry("operations.boot-patiently.await-timeout", "5m"),
                        Map.entry("operations.boot-patiently.await-interval", "50ms")))
                .target("paced", stub.url(), Map.of(
                        "rpm", "300",
                        "operations.boot", "POST /i/{id}/start",
                        "operations.boot.check", "GET /i/{id}",
                        "operations.boot.check-expect", "$.state != 'running'",
                        "operations.boot.await", "GET /i/{id}",
                        "operations.boot.await-field", "$.state",
                        "operations.boot.await-interval", "10ms"))
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
        stub.respond(r -> r.path().contains("/missing-") ? Reply.json(404, "{\"error\":\"instance not found\"}") : Reply.ok());
    }

    @Test
    void should_run_the_next_stage_only_for_items_that_succeeded_when_a_chain_runs() {
        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "mode", "sync",
                "steps", List.of(Map.of("operation", "stop"), Map.of("operation", "start")),
                "items", List.of("a", "missing-b", "c"))).json();

        assertThat(summary.path("status").asText()).isEqualTo("completed");
        assertThat(stub.requests().stream().filter(r -> r.path().endsWith("/start")).map(Recorded::path))
                .containsExactlyInAnyOrder("/i/a/start", "/i/c/start");
        assertThat(summary.path("stages").toString()).isEqualTo("[{\"operation\":\"stop\",\"succeeded\":2,\"failed\":1,"
                + "\"skipped\":0,\"cancelled\":0},{\"operation\":\"start\",\"succeeded\":2,\"failed\":0,\"skipped\":0,\"cancelled\":0}]");
        assertThat(statuses(summary)).containsExactly("succeeded", "failed", "succeeded");
        assertThat(summary.path("results").get(0).path("steps").findValuesAsText("operation")).containsExactly("stop", "start");
        assertThat(summary.path("progress").asDouble()).isEqualTo(100.0);
    }

    @Test
    void should_cancel_the_held_back_items_when_a_stop_on_failure_stage_had_a_failure() {
        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "mode", "sync",
                "steps", List.of(Map.of("operation", "stop", "stopOnFailure", true), Map.of("operation", "start")),
                "items", List.of("a", "missing-b", "c"))).json();

        assertThat(stub.requests()).noneMatch(r -> r.path().endsWith("/start"));
        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("stop_on_failure");
        assertThat(statuses(summary)).containsExactly("cancelled", "failed", "cancelled");
        assertThat(summary.path("stages").get(1).path("cancelled").asInt()).isEqualTo(2);
        assertThat(summary.path("results").get(0).path("steps").get(0).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void should_show_live_progress_rate_and_eta_when_a_chain_is_between_stages() {
        stub.respond(r -> Reply.json(200, "{}").after(Duration.ofMillis(r.path().endsWith("/start") ? 300 : 20)));
        String id = app.post("/v1/batches", Map.of("target", "svc", "concurrency", 2,
                "steps", List.of(Map.of("operation", "stop"), Map.of("operation", "start")), "items", ids(8))).json()
                .path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> !stub.requests("/i/").stream()
                .filter(r -> r.path().endsWith("/start")).toList().isEmpty());

        JsonNode live = app.get("/v1/batches/" + id).json();

        assertThat(live.path("status").asText()).isEqualTo("running");
        assertThat(live.path("phase").asText()).isEqualTo("stage 2 of 2");
        assertThat(live.path("progress").asDouble()).isBetween(50.0, 99.9);
        assertThat(live.path("ratePerMinute").asDouble()).isPositive();
        assertThat(live.path("etaMs").isNumber()).isTrue();
        assertThat(live.path("pending").asInt() + live.path("running").asInt() + live.path("succeeded").asInt())
                .isEqualTo(8);
        assertThat(app.awaitFinished(id).path("etaMs").isNull()).isTrue();
    }

    @Test
    void should_skip_items_whose_check_is_not_met_without_a_single_changing_call_to_them() {
        stub.respond(r -> Reply.json(200, r.path().startsWith("/i/p-") ? "{\"state\":\"paused\"}" : "{\"state\":\"running\"}"));

        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "operation", "resume", "mode", "sync",
                "items", List.of("p-1", "r-2", "p-3"))).json();

        assertThat(stub.requests().stream().filter(r -> r.method().equals("POST")).map(Recorded::path))
                .containsExactlyInAnyOrder("/i/p-1/resume", "/i/p-3/resume");
        assertThat(stub.requests().stream().filter(r -> r.method().equals("GET"))).allMatch(r -> r.header("Idempotency-Key") == null);
        assertThat(statuses(summary)).containsExactly("succeeded", "skipped", "succeeded");
        assertThat(summary.path("skipped").asInt()).isEqualTo(1);
        assertThat(summary.path("results").get(1).path("error").asText())
                .isEqualTo("check not met: expected $.state == 'paused' but $.state was 'running'");
    }

    @Test
    void should_fail_items_whose_check_fails_before_anything_is_changed() {
        stub.respond(r -> r.path().equals("/i/gone") ? Reply.json(404, "{\"error\":\"no such instance\"}")
                : Reply.json(200, r.path().equals("/i/s-1") ? "{\"state\":\"stopped\"}" : "{\"state\":\"idle\"}"));

        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "operation", "pause", "mode", "sync",
                "items", List.of("s-1", "i-2", "gone"))).json();

        assertThat(stub.requests().stream().filter(r -> r.method().equals("POST")).map(Recorded::path))
                .containsExactly("/i/i-2/pause");
        assertThat(statuses(summary)).containsExactly("failed", "succeeded", "failed");
        assertThat(summary.path("results").get(0).path("error").asText())
                .isEqualTo("check failed: expected $.state in ('running','idle') but $.state was 'stopped'");
        assertThat(summary.path("results").get(2).path("error").asText())
                .isEqualTo("check GET /i/{id} failed: HTTP 404: no such instance");
        assertThat(summary.path("results").get(0).has("httpStatus")).isFalse();
        assertThat(summary.path("results").get(2).path("httpStatus").asInt()).isEqualTo(404);
    }

    @Test
    void should_record_act_and_settle_times_when_an_awaited_operation_settles() {
        Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
        stub.respond(r -> r.method().equals("GET")
                ? Reply.json(200, polls.computeIfAbsent(r.path(), p -> new AtomicInteger()).incrementAndGet() < 3
                        ? "{\"state\":\"starting\"}" : "{\"state\":\"running\"}")
                : Reply.json(202, "{\"state\":\"starting\"}"));

        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "operation", "boot", "mode", "sync",
                "items", List.of("a"))).json();

        JsonNode a = summary.path("results").get(0);
        assertThat(a.path("status").asText()).isEqualTo("succeeded");
        assertThat(a.path("response").path("state").asText()).isEqualTo("running");
        assertThat(a.path("settleMs").asLong()).isGreaterThanOrEqualTo(a.path("actMs").asLong());
        assertThat(stub.requests().stream().filter(r -> r.method().equals("GET")).count()).isEqualTo(3);
        assertThat(stub.requests().stream().filter(r -> r.method().equals("GET"))).allMatch(r -> r.header("Idempotency-Key") == null);
        assertThat(stub.requests().get(0).header("Idempotency-Key")).endsWith(":a:boot");
    }

    @Test
    void should_fail_the_item_when_its_await_times_out_or_settles_as_a_failure() {
        stub.respond(r -> r.method().equals("GET")
                ? Reply.json(200, r.path().equals("/i/broken") ? "{\"state\":\"error\"}" : "{\"state\":\"starting\"}")
                : Reply.ok());

        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "operation", "boot", "mode", "sync",
                "items", List.of("slow", "broken"))).json();

        JsonNode slow = summary.path("results").get(0);
        assertThat(slow.path("status").asText()).isEqualTo("failed");
        assertThat(slow.path("error").asText()).isEqualTo("await boot timed out after 600ms: $.state was 'starting'");
        assertThat(slow.has("actMs")).isTrue();
        assertThat(summary.path("results").get(1).path("error").asText())
                .isEqualTo("await boot settled as a failure: $.state was 'error'");
    }

    @Test
    void should_roll_back_the_awaited_call_when_its_await_times_out_in_a_transaction() {
        stub.respond(r -> r.method().equals("GET")
                ? Reply.json(200, r.path().equals("/i/slow") ? "{\"state\":\"starting\"}" : "{\"state\":\"running\"}")
                : Reply.ok());

        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "operation", "boot", "transaction", true,
                "concurrency", 1, "mode", "sync", "items", List.of("fine", "slow", "never"))).json();

        assertThat(stub.requests().stream().filter(r -> r.method().equals("POST")).map(Recorded::path))
                .containsExactly("/i/fine/start", "/i/slow/start", "/i/fine/stop", "/i/slow/stop");
        assertThat(statuses(summary)).containsExactly("rolled_back", "failed", "cancelled");
        assertThat(summary.path("rollback").path("succeeded").asInt()).isEqualTo(2);
    }

    @Test
    void should_cancel_items_still_awaiting_when_the_deadline_passes() {
        stub.respond(r -> Reply.json(200, r.method().equals("GET") ? "{\"state\":\"starting\"}" : "{}"));

        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "operation", "boot-patiently", "deadline", "500ms",
                "mode", "sync", "items", List.of("a", "b"))).json();

        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("deadline");
        assertThat(statuses(summary)).containsExactly("cancelled", "cancelled");
        assertThat(summary.path("results").get(0).path("error").asText())
                .isEqualTo("cancelled while awaiting boot-patiently: $.state was 'starting'");
        assertThat(summary.path("results").get(0).has("actMs")).isTrue();
    }

    @Test
    void should_stop_the_batch_with_fail_fast_at_the_first_failure() {
        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "operation", "stop", "failFast", true,
                "concurrency", 1, "mode", "sync", "items", List.of("a", "missing-b", "c", "d"))).json();

        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("fail_fast");
        assertThat(statuses(summary)).containsExactly("succeeded", "failed", "cancelled", "cancelled");
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void should_trip_the_breaker_only_once_min_finished_items_have_finished() {
        List<String> items = IntStream.rangeClosed(1, 14).mapToObj(i -> "missing-" + i).toList();

        JsonNode summary = app.post("/v1/batches", Map.of("target", "svc", "operation", "stop", "maxFailurePercent", 50,
                "concurrency", 1, "mode", "sync", "items", items)).json();

        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("max_failure_percent");
        assertThat(summary.path("failed").asInt()).isEqualTo(10);
        assertThat(summary.path("cancelled").asInt()).isEqualTo(4);
        assertThat(stub.requests()).hasSize(10);
    }

    @Test
    void should_space_checks_and_await_polls_by_the_target_rate_limit_like_any_call() {
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        stub.respond(r -> Reply.json(200, r.method().equals("POST") ? "{}"
                : reads.computeIfAbsent(r.path(), p -> new AtomicInteger()).incrementAndGet() == 1 ? "{\"state\":\"stopped\"}"
                        : "{\"state\":\"running\"}"));

        app.post("/v1/batches", Map.of("target", "paced", "operation", "boot", "mode", "sync", "items", List.of("a", "b")));

        List<Long> starts = stub.requests().stream().map(Recorded::atNanos).sorted().toList();
        assertThat(stub.requests()).hasSize(6);
        for (int i = 1; i < starts.size(); i++) {
            // rpm 300 spaces starts 200 ms apart; arrivals may drift a little, never by 50 ms
            assertThat(Duration.ofNanos(starts.get(i) - starts.get(i - 1))).isGreaterThan(Duration.ofMillis(150));
        }
    }

    static List<String> ids(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "i-" + i).toList();
    }

    static List<String> statuses(JsonNode summary) {
        return StreamSupport.stream(summary.path("results").spliterator(), false).map(r -> r.path("status").asText()).toList();
    }
}
