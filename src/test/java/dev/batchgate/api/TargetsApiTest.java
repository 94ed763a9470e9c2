package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/targets} shows every target with secrets masked; {@code PATCH} retunes one while batches run. */
class TargetsApiTest {

    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start",
                        "operations.stop", "POST /instances/{id}/stop", "operations.start.rollback", "stop",
                        "rpm", "600", "concurrency", "4", "timeout", "5s", "retries", "1", "retry-delay", "250ms",
                        "headers.Authorization", "Bearer t0p-s3cret", "headers.X-Team", "ops"))
                .target("tuned", stub.url(), Map.of("operations.start", "POST /tuned/{id}/start", "rpm", "30"))
                .target("narrowed", stub.url(), Map.of("operations.start", "POST /narrowed/{id}/start", "rpm", "6"))
                .target("patchable", stub.url(), Map.of("operations.start", "POST /patchable/{id}/start"))
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    private static BatchgateTestApp.Response patch(String target, String body) {
        return app.send(HttpRequest.newBuilder(URI.create(app.url("/v1/targets/" + target)))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void should_list_targets_with_limits_operations_and_masked_secrets() {
        var response = app.get("/v1/targets");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).doesNotContain("t0p-s3cret");
        JsonNode svc = null;
        for (JsonNode t : response.json().path("targets")) {
            if (t.path("name").asText().equals("svc")) {
                svc = t;
            }
        }
        assertThat(svc).isNotNull();
        assertThat(svc.path("url").asText()).isEqualTo(stub.url());
        assertThat(svc.path("rpm").asInt()).isEqualTo(600);
        assertThat(svc.path("concurrency").asInt()).isEqualTo(4);
        assertThat(svc.path("timeoutMs").asLong()).isEqualTo(5000);
        assertThat(svc.path("retries").asInt()).isEqualTo(1);
        assertThat(svc.path("retryDelayMs").asLong()).isEqualTo(250);
        assertThat(svc.path("headers").path("Authorization").asText()).isEqualTo("***");
        assertThat(svc.path("headers").path("X-Team").asText()).isEqualTo("ops");
        assertThat(svc.path("operations").path("start").path("call").asText()).isEqualTo("POST /instances/{id}/start");
        assertThat(svc.path("operations").path("start").path("rollback").asText()).isEqualTo("stop");
        assertThat(svc.path("live").path("inFlight").asInt()).isZero();
        assertThat(svc.has("effectiveRpm")).isTrue();
    }

    @Test
    void should_answer_404_when_the_target_is_unknown() {
        assertThat(app.get("/v1/targets/nope").status()).isEqualTo(404);
        assertThat(patch("nope", "{\"rpm\": 10}").status()).isEqualTo(404);
    }

    @Test
    void should_change_rpm_and_concurrency_when_patched() {
        var response = patch("patchable", "{\"rpm\": 90, \"concurrency\": 3}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("rpm").asInt()).isEqualTo(90);
        assertThat(response.json().path("concurrency").asInt()).isEqualTo(3);
        JsonNode target = app.get("/v1/targets/patchable").json();
        assertThat(target.path("rpm").asInt()).isEqualTo(90);
        assertThat(target.path("effectiveRpm").asDouble()).isEqualTo(90.0);

        var unlimited = patch("patchable", "{\"rpm\": null}");

        assertThat(unlimited.json().path("rpm").isNull()).isTrue();
        assertThat(unlimited.json().path("concurrency").asInt()).isEqualTo(3);
    }

    @Test
    void should_answer_400_when_the_patch_is_invalid() {
        assertThat(patch("patchable", "{\"concurrency\": 0}").status()).isEqualTo(400);
        assertThat(patch("patchable", "{\"rpm\": \"fast\"}").status()).isEqualTo(400);
        assertThat(patch("patchable", "{\"url\": \"http://evil\"}").status()).isEqualTo(400);
        assertThat(patch("patchable", "not json").status()).isEqualTo(400);
    }

    @Test
    void should_speed_up_a_running_batch_at_once_when_its_target_rpm_is_raised() {
        List<String> items = IntStream.range(0, 14).mapToObj(i -> "t-" + i).toList();
        String id = app.post("/v1/batches", Map.of("target", "tuned", "operation", "start", "items", items))
                .json().path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> stub.requests("/tuned/").size() >= 2);

        var response = patch("tuned", "{\"rpm\": 600}");

        assertThat(response.status()).isEqualTo(200);
        app.awaitFinished(id);
        List<StubServer.Recorded> calls = stub.requests("/tuned/");
        assertThat(calls).hasSize(14);
        // at 30 rpm the gap was 2 s; after the patch the last ten starts come at 600 rpm (0.1 s apart)
        List<Long> gapsMs = new ArrayList<>();
        for (int i = calls.size() - 9; i < calls.size(); i++) {
            gapsMs.add((calls.get(i).atNanos() - calls.get(i - 1).atNanos()) / 1_000_000);
        }
        assertThat(gapsMs.stream().sorted().toList().get(gapsMs.size() / 2)).as("median gap in ms of %s", gapsMs)
                .isLessThan(1000);
        // never faster than 600 rpm: arrival jitter may shorten one gap, not their sum
        assertThat(gapsMs.stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(9 * 100 - 150);
    }

    @Test
    void should_lower_a_running_batch_concurrency_when_its_target_concurrency_is_lowered() {
        List<String> items = IntStream.range(0, 3).mapToObj(i -> "c-" + i).toList();
        String id = app.post("/v1/batches", Map.of("target", "narrowed", "operation", "start", "items", items))
                .json().path("id").asText();

        patch("narrowed", "{\"concurrency\": 1}");

        assertThat(app.get("/v1/batches/" + id).json().path("effectiveConcurrency").asInt()).isEqualTo(1);
        app.post("/v1/batches/" + id + "/cancel", "");
        app.awaitFinished(id);
    }
}
