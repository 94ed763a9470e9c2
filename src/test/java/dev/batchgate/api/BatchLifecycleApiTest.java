package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Creating, listing and retrying batches; dry runs; sync mode and its timeout. */
class BatchLifecycleApiTest {

    static StubServer stub;
    static BatchgateTestApp app;
    static volatile boolean healed;

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(r -> {
            String id = r.path().split("/")[2];
            if (id.startsWith("flaky-") && !healed) {
                return Reply.json(503, "{\"error\":\"unavailable\"}");
            }
            if (id.startsWith("bad-")) {
                return Reply.json(404, "{\"error\":\"instance not found\"}");
            }
            if (id.startsWith("slow-")) {
                return Reply.ok().after(Duration.ofMillis(400));
            }
            return Reply.json(200, "{\"state\":\"running\"}");
        });
        Map<String, String> operations = Map.of("operations.start", "POST /instances/{id}/start", "retries", "0");
        app = new BatchgateTestApp()
                .with("batchgate.sync-timeout", "1s")
                .target("svc", stub.url(), operations)
                .target("listing-a", stub.url(), operations)
                .target("listing-b", stub.url(), operations)
                .target("secured", stub.url(), Map.of("operations.deploy", "PUT /apps/{id}/deploy",
                        "operations.deploy.body", "{\"version\":\"{params.version}\",\"note\":\"for {id}\"}",
                        "operations.scale", "POST /apps/{id}/scale",
                        "operations.scale.body", "{\"spec\":{\"replicas\":{params.replicas}}}",
                        "headers.Authorization", "Bearer s3cr3t-token", "headers.X-Api-Key", "k3y-value",
                        "headers.X-Trace", "batchgate"))
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    private static String submit(Map<String, Object> request) {
        var response = app.post("/v1/batches", request);
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.json().path("id").asText();
    }

    @Test
    void should_answer_202_with_a_location_when_a_batch_is_created() {
        var response = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "items", List.of("a-1", "a-2")));

        assertThat(response.status()).isEqualTo(202);
        String id = response.json().path("id").asText();
        assertThat(id).startsWith("b-");
        assertThat(response.json().path("total").asInt()).isEqualTo(2);
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/batches/" + id);
        assertThat(app.awaitFinished(id).path("succeeded").asInt()).isEqualTo(2);
    }

    @Test
    void should_answer_the_summary_with_results_when_a_sync_batch_ends_in_time() {
        var response = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "mode", "sync",
                "items", List.of("sync-1", "bad-sync-2")));

        assertThat(response.status()).isEqualTo(200);
        JsonNode summary = response.json();
        assertThat(summary.path("status").asText()).isEqualTo("completed");
        assertThat(summary.path("progress").asDouble()).isEqualTo(100.0);
        assertThat(summary.path("results")).hasSize(2);
        assertThat(summary.path("results").get(1).path("error").asText()).isEqualTo("HTTP 404: instance not found");
    }

    @Test
    void should_answer_202_with_the_live_summary_when_a_sync_batch_runs_past_sync_timeout() {
        List<String> ids = IntStream.range(0, 6).mapToObj(i -> "slow-sync-" + i).toList();

        var response = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "mode", "sync",
                "concurrency", 1, "items", ids));

        assertThat(response.status()).isEqualTo(202);
        JsonNode live = response.json();
        String id = live.path("id").asText();
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/batches/" + id);
        assertThat(live.path("status").asText()).isEqualTo("running");
        assertThat(live.has("results")).isFalse();
        assertThat(live.path("pending").asInt()).isPositive();
        assertThat(app.awaitFinished(id).path("succeeded").asInt()).isEqualTo(6);
    }

    @Test
    void should_resolve_every_request_with_secrets_masked_and_call_nothing_when_dry_run() {
        int batchesBefore = app.get("/v1/batches?target=secured").json().path("batches").size();

        var response = app.post("/v1/batches", Map.of("target", "secured", "operation", "deploy", "dryRun", true,
                "params", Map.of("version", "2.0"), "items", List.of("web/1", Map.of("id", 7, "params", Map.of("version", "2.1")))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).doesNotContain("s3cr3t-token").doesNotContain("k3y-value");
        JsonNode doc = response.json();
        assertThat(doc.path("dryRun").asBoolean()).isTrue();
        assertThat(doc.path("total").asInt()).isEqualTo(2);
        JsonNode first = doc.path("requests").get(0);
        assertThat(first.path("method").asText()).isEqualTo("PUT");
        assertThat(first.path("url").asText()).isEqualTo(stub.url() + "/apps/web%2F1/deploy");
        assertThat(first.path("headers").path("Authorization").asText()).isEqualTo("***");
        assertThat(first.path("headers").path("X-Api-Key").asText()).isEqualTo("***");
        assertThat(first.path("headers").path("X-Trace").asText()).isEqualTo("batchgate");
        assertThat(first.path("body")).isEqualTo(Json.read("{\"version\":\"2.0\",\"note\":\"for web/1\"}"));
        JsonNode second = doc.path("requests").get(1);
        assertThat(second.path("id").isInt()).isTrue();
        assertThat(second.path("body").path("version").asText()).isEqualTo("2.1");
        assertThat(stub.requests("/apps/web%2F1/")).isEmpty();
        assertThat(stub.requests("/apps/7/")).isEmpty();
        assertThat(app.get("/v1/batches?target=secured").json().path("batches")).hasSize(batchesBefore);
    }

    @Test
    void should_send_target_headers_and_the_filled_body_when_the_batch_runs() {
        var response = app.post("/v1/batches", Map.of("target", "secured", "operation", "deploy", "mode", "sync",
                "items", List.of(Map.of("id", "web-2", "params", Map.of("version", "3.0")))));

        assertThat(response.status()).isEqualTo(200);
        StubServer.Recorded call = stub.requests("/apps/web-2/").get(0);
        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.header("Authorization")).isEqualTo("Bearer s3cr3t-token");
        assertThat(call.header("Content-Type")).isEqualTo("application/json");
        assertThat(call.header("Idempotency-Key")).isEqualTo(response.json().path("id").asText() + ":web-2:deploy");
        assertThat(Json.read(call.body())).isEqualTo(Json.read("{\"version\":\"3.0\",\"note\":\"for web-2\"}"));
    }

    @Test
    void should_insert_a_bare_param_as_json_when_the_body_template_ends_with_it() {
        var response = app.post("/v1/batches", Map.of("target", "secured", "operation", "scale", "mode", "sync",
                "items", List.of(Map.of("id", "web-3", "params", Map.of("replicas", 3)))));

        assertThat(response.status()).isEqualTo(200);
        StubServer.Recorded call = stub.requests("/apps/web-3/").get(0);
        assertThat(Json.read(call.body())).isEqualTo(Json.read("{\"spec\":{\"replicas\":3}}"));
    }

    @Test
    void should_list_batches_newest_first_filtered_by_status_and_target() {
        String first = submit(Map.of("target", "listing-a", "operation", "start", "items", List.of("la-1")));
        app.awaitFinished(first);
        String failed = submit(Map.of("target", "listing-b", "operation", "start", "failFast", true, "concurrency", 1,
                "items", List.of("bad-lb-1", "lb-2")));
        app.awaitFinished(failed);
        String last = submit(Map.of("target", "listing-b", "operation", "start", "items", List.of("lb-3")));
        app.awaitFinished(last);

        assertThat(listIds("/v1/batches?target=listing-b")).containsExactly(last, failed);
        assertThat(listIds("/v1/batches?target=listing-b&status=failed")).containsExactly(failed);
        assertThat(listIds("/v1/batches?status=failed")).contains(failed).doesNotContain(first, last);
        assertThat(listIds("/v1/batches?limit=1")).containsExactly(last);
        JsonNode listed = app.get("/v1/batches?target=listing-a").json().path("batches").get(0);
        assertThat(listed.path("status").asText()).isEqualTo("completed");
        assertThat(listed.path("succeeded").asInt()).isEqualTo(1);
        assertThat(listed.has("results")).isFalse();
    }

    private static List<String> listIds(String path) {
        List<String> ids = new ArrayList<>();
        app.get(path).json().path("batches").forEach(b -> ids.add(b.path("id").asText()));
        return ids;
    }

    @Test
    void should_run_the_failed_items_again_in_a_new_linked_batch_when_retried() {
        String original = submit(Map.of("target", "svc", "operation", "start", "items",
                List.of("rt-ok-1", "flaky-rt-2", "rt-ok-3", "flaky-rt-4")));
        assertThat(app.awaitFinished(original).path("failed").asInt()).isEqualTo(2);
        healed = true;

        var retry = app.post("/v1/batches/" + original + "/retry", "");

        assertThat(retry.status()).as(retry.text()).isEqualTo(202);
        String retryId = retry.json().path("id").asText();
        assertThat(retryId).isNotEqualTo(original);
        assertThat(retry.json().path("retryOf").asText()).isEqualTo(original);
        assertThat(retry.json().path("total").asInt()).isEqualTo(2);
        assertThat(retry.headers().firstValue("Location")).hasValue("/v1/batches/" + retryId);
        JsonNode summary = app.awaitFinished(retryId);
        assertThat(summary.path("retryOf").asText()).isEqualTo(original);
        assertThat(summary.path("succeeded").asInt()).isEqualTo(2);
        JsonNode results = app.get("/v1/batches/" + retryId + "/results").json().path("results");
        assertThat(results.get(0).path("id").asText()).isEqualTo("flaky-rt-2");
        assertThat(results.get(1).path("id").asText()).isEqualTo("flaky-rt-4");
    }

    @Test
    void should_retry_only_the_chosen_statuses_with_new_params_when_asked() {
        String original = submit(Map.of("target", "svc", "operation", "start", "params", Map.of("reason", "first"),
                "items", List.of("rp-1", "bad-rp-2")));
        app.awaitFinished(original);

        var retry = app.post("/v1/batches/" + original + "/retry",
                Map.of("statuses", List.of("succeeded"), "params", Map.of("reason", "again")));

        assertThat(retry.status()).as(retry.text()).isEqualTo(202);
        app.awaitFinished(retry.json().path("id").asText());
        List<StubServer.Recorded> calls = stub.requests("/instances/rp-1/");
        assertThat(calls).hasSize(2);
        assertThat(Json.read(calls.get(1).body()).path("reason").asText()).isEqualTo("again");
        assertThat(calls.get(1).header("Idempotency-Key")).startsWith(retry.json().path("id").asText() + ":");
    }

    @Test
    void should_retry_each_item_once_when_a_status_is_named_twice() {
        String original = submit(Map.of("target", "svc", "operation", "start", "items", List.of("tw-1", "bad-tw-2")));
        app.awaitFinished(original);

        var retry = app.post("/v1/batches/" + original + "/retry", Map.of("statuses", List.of("failed", "failed")));

        assertThat(retry.status()).as(retry.text()).isEqualTo(202);
        assertThat(retry.json().path("total").asInt()).isEqualTo(1);
        app.awaitFinished(retry.json().path("id").asText());
        assertThat(stub.requests("/instances/bad-tw-2/")).hasSize(2);
    }

    @Test
    void should_answer_409_when_there_is_nothing_to_retry() {
        String id = submit(Map.of("target", "svc", "operation", "start", "items", List.of("all-good-1")));
        app.awaitFinished(id);

        var retry = app.post("/v1/batches/" + id + "/retry", "");

        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.json().path("error").asText()).contains("no items");
    }

    @Test
    void should_answer_409_when_a_running_batch_is_retried() {
        String id = submit(Map.of("target", "svc", "operation", "start", "concurrency", 1,
                "items", List.of("slow-running-1", "slow-running-2", "slow-running-3")));

        var retry = app.post("/v1/batches/" + id + "/retry", "");

        assertThat(retry.status()).isEqualTo(409);
        app.awaitFinished(id);
    }

    @Test
    void should_answer_404_when_an_unknown_batch_is_retried() {
        assertThat(app.post("/v1/batches/b-none/retry", "").status()).isEqualTo(404);
    }

    @Test
    void should_keep_answering_at_once_when_many_event_streams_and_sync_calls_are_waiting() {
        String slow = submit(Map.of("target", "svc", "operation", "start", "concurrency", 1,
                "items", IntStream.range(0, 60).mapToObj(i -> "slow-wait-" + i).toList()));
        // one connection per request, as browsers do for event streams (HTTP/2 would multiplex them on one)
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<Void>>> waiting = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            waiting.add(client.sendAsync(HttpRequest.newBuilder(URI.create(app.url("/v1/batches/" + slow + "/events"))).GET()
                    .build(), HttpResponse.BodyHandlers.discarding()));
        }
        for (int i = 0; i < 50; i++) {
            waiting.add(client.sendAsync(HttpRequest.newBuilder(URI.create(app.url("/v1/batches")))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("target", "svc", "operation", "start",
                            "mode", "sync", "items", List.of("slow-wait-sync-" + i)))))
                    .build(),
                    HttpResponse.BodyHandlers.discarding()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> stub.requests("/instances/slow-wait-sync-").size() >= 50);

        var list = app.send(HttpRequest.newBuilder(URI.create(app.url("/v1/batches?limit=5"))).timeout(Duration.ofSeconds(5)).GET());

        assertThat(list.status()).isEqualTo(200);
        assertThat(waiting).anyMatch(f -> !f.isDone());
        app.post("/v1/batches/" + slow + "/cancel", "");
        await().atMost(Duration.ofSeconds(60)).until(() -> waiting.stream().allMatch(CompletableFuture::isDone));
    }
}
