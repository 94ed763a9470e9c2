package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batches that end before every item ran: cancel, fail-fast, the failure-percent breaker, the deadline. */
class BatchStopTest {

    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(r -> {
            String id = r.path().split("/")[2];
            if (id.startsWith("bad-")) {
                return Reply.json(404, "{\"error\":\"instance not found\"}");
            }
            if (id.startsWith("slow-")) {
                return Reply.ok().after(Duration.ofMillis(400));
            }
            return Reply.ok();
        });
        app = new BatchgateTestApp()
                .with("batchgate.breaker.min-finished", "4")
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start", "retries", "0"))
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

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    private static int callsFor(String prefix) {
        return (int) stub.requests().stream().filter(r -> r.path().split("/")[2].startsWith(prefix)).count();
    }

    private static void assertCountsAddUp(JsonNode summary) {
        int sum = 0;
        for (String counter : List.of("pending", "running", "succeeded", "failed", "skipped", "cancelled", "rolledBack",
                "rollbackFailed")) {
            sum += summary.path(counter).asInt();
        }
        assertThat(sum).isEqualTo(summary.path("total").asInt());
    }

    @Test
    void should_let_calls_in_flight_finish_and_cancel_the_rest_when_cancelled_mid_batch() {
        String id = submit(Map.of("target", "svc", "operation", "start", "concurrency", 2, "items", ids("slow-cancel-", 10)));
        await().atMost(Duration.ofSeconds(30)).until(() -> callsFor("slow-cancel-") >= 2);

        var cancel = app.post("/v1/batches/" + id + "/cancel", "");

        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().path("id").asText()).isEqualTo(id);
        assertThat(cancel.json().path("total").asInt()).isEqualTo(10);
        assertThat(cancel.json().has("reason")).as("a reason is only for a batch that failed").isFalse();
        JsonNode summary = app.awaitFinished(id);
        assertThat(summary.path("status").asText()).isEqualTo("cancelled");
        assertThat(summary.has("reason")).isFalse();
        assertThat(summary.path("cancelled").asInt()).isGreaterThanOrEqualTo(4);
        // every call that was made finished and counts as succeeded; nothing started after the cancel
        assertThat(summary.path("succeeded").asInt()).isEqualTo(callsFor("slow-cancel-"));
        assertCountsAddUp(summary);
        JsonNode cancelledItems = app.get("/v1/batches/" + id + "/results?status=cancelled").json();
        assertThat(cancelledItems.path("total").asInt()).isEqualTo(summary.path("cancelled").asInt());
    }

    @Test
    void should_answer_202_again_when_an_already_cancelled_batch_is_cancelled() {
        String id = submit(Map.of("target", "svc", "operation", "start", "concurrency", 1, "items", ids("slow-twice-", 5)));
        app.post("/v1/batches/" + id + "/cancel", "");
        app.awaitFinished(id);

        var again = app.post("/v1/batches/" + id + "/cancel", "");

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void should_answer_409_when_a_finished_batch_is_cancelled() {
        String id = submit(Map.of("target", "svc", "operation", "start", "items", List.of("ok-finished")));
        app.awaitFinished(id);

        var cancel = app.post("/v1/batches/" + id + "/cancel", "");

        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.json().path("error").asText()).contains("already finished");
    }

    @Test
    void should_answer_404_when_an_unknown_batch_is_cancelled() {
        var cancel = app.post("/v1/batches/b-nope/cancel", "");

        assertThat(cancel.status()).isEqualTo(404);
        assertThat(cancel.json().path("error").asText()).contains("b-nope");
    }

    @Test
    void should_cancel_the_rest_with_reason_fail_fast_when_the_first_item_fails() {
        List<String> items = List.of("ff-ok-0", "bad-ff-1", "ff-ok-2", "ff-ok-3", "ff-ok-4", "ff-ok-5");
        String id = submit(Map.of("target", "svc", "operation", "start", "concurrency", 1, "failFast", true, "items", items));

        JsonNode summary = app.awaitFinished(id);

        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("fail_fast");
        assertThat(summary.path("succeeded").asInt()).isEqualTo(1);
        assertThat(summary.path("failed").asInt()).isEqualTo(1);
        assertThat(summary.path("cancelled").asInt()).isEqualTo(4);
        assertThat(callsFor("ff-ok-") + callsFor("bad-ff-")).isEqualTo(2);
        assertCountsAddUp(summary);
    }

    @Test
    void should_trip_the_breaker_once_min_finished_items_ran_when_too_many_fail() {
        // 2 of the first 3 fail (67 %) but only 3 finished: below batchgate.breaker.min-finished=4, so it goes on
        List<String> items = List.of("mfp-ok-0", "bad-mfp-1", "bad-mfp-2", "bad-mfp-3", "mfp-ok-4", "mfp-ok-5", "mfp-ok-6");
        String id = submit(Map.of("target", "svc", "operation", "start", "concurrency", 1, "maxFailurePercent", 50,
                "items", items));

        JsonNode summary = app.awaitFinished(id);

        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("max_failure_percent");
        assertThat(summary.path("succeeded").asInt()).isEqualTo(1);
        assertThat(summary.path("failed").asInt()).isEqualTo(3);
        assertThat(summary.path("cancelled").asInt()).isEqualTo(3);
        assertCountsAddUp(summary);
    }

    @Test
    void should_complete_when_the_failed_share_stays_under_max_failure_percent() {
        List<String> items = List.of("mfpok-0", "bad-mfpok-1", "mfpok-2", "mfpok-3", "mfpok-4", "mfpok-5");
        String id = submit(Map.of("target", "svc", "operation", "start", "concurrency", 1, "maxFailurePercent", 50,
                "items", items));

        JsonNode summary = app.awaitFinished(id);

        assertThat(summary.path("status").asText()).isEqualTo("completed");
        assertThat(summary.path("failed").asInt()).isEqualTo(1);
        assertThat(summary.path("succeeded").asInt()).isEqualTo(5);
    }

    @Test
    void should_cancel_unfinished_items_with_reason_deadline_when_the_deadline_passes() {
        String id = submit(Map.of("target", "svc", "operation", "start", "concurrency", 1, "deadline", "1s",
                "items", ids("slow-deadline-", 20)));

        JsonNode summary = app.awaitFinished(id);

        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("reason").asText()).isEqualTo("deadline");
        assertThat(summary.path("cancelled").asInt()).isGreaterThanOrEqualTo(10);
        assertThat(summary.path("succeeded").asInt()).isEqualTo(callsFor("slow-deadline-"));
        assertCountsAddUp(summary);
    }
}
