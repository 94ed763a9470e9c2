package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.ServerSentEvents;
import dev.batchgate.testing.ServerSentEvents.Event;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading a batch's results: pages, the status filter, NDJSON and CSV streams, and Server-Sent Events. */
class BatchResultsApiTest {

    static StubServer stub;
    static BatchgateTestApp app;
    static String finishedBatch;
    static final int TOTAL = 25;

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(r -> {
            String id = r.path().split("/")[2];
            if (id.startsWith("bad")) {
                return Reply.json(422, "{\"error\":\"rejected, \\\"really\\\"\"}");
            }
            if (id.startsWith("slow-")) {
                return Reply.ok().after(Duration.ofMillis(300));
            }
            return Reply.ok();
        });
        app = new BatchgateTestApp()
                .with("batchgate.inline-results-max", "20")
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start", "retries", "0"))
                .start();
        // every fifth item fails; id 0 is an integer
        List<Object> items = new ArrayList<>();
        items.add(0);
        IntStream.range(1, TOTAL).forEach(i -> items.add(i % 5 == 0 ? "bad" + i : "i-" + i));
        var created = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "items", items));
        finishedBatch = created.json().path("id").asText();
        app.awaitFinished(finishedBatch);
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    @Test
    void should_leave_results_out_of_the_summary_when_the_batch_is_above_inline_results_max() {
        JsonNode summary = app.get("/v1/batches/" + finishedBatch).json();

        assertThat(summary.path("total").asInt()).isEqualTo(TOTAL);
        assertThat(summary.path("failed").asInt()).isEqualTo(4);
        assertThat(summary.has("results")).isFalse();
    }

    @Test
    void should_answer_one_page_in_input_order_when_offset_and_limit_are_given() {
        JsonNode page = app.get("/v1/batches/" + finishedBatch + "/results?offset=10&limit=5").json();

        assertThat(page.path("total").asInt()).isEqualTo(TOTAL);
        assertThat(page.path("offset").asInt()).isEqualTo(10);
        assertThat(page.path("limit").asInt()).isEqualTo(5);
        List<String> ids = new ArrayList<>();
        page.path("results").forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).containsExactly("bad10", "i-11", "i-12", "i-13", "i-14");
    }

    @Test
    void should_answer_100_results_when_no_limit_is_given() {
        JsonNode page = app.get("/v1/batches/" + finishedBatch + "/results").json();

        assertThat(page.path("limit").asInt()).isEqualTo(100);
        assertThat(page.path("results")).hasSize(TOTAL);
        assertThat(page.path("results").get(0).path("id").isInt()).isTrue();
    }

    @Test
    void should_answer_only_matching_items_when_filtered_by_status() {
        JsonNode page = app.get("/v1/batches/" + finishedBatch + "/results?status=failed").json();

        assertThat(page.path("total").asInt()).isEqualTo(4);
        List<String> ids = new ArrayList<>();
        page.path("results").forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).containsExactly("bad5", "bad10", "bad15", "bad20");
        assertThat(page.path("results").get(0).path("httpStatus").asInt()).isEqualTo(422);
    }

    @Test
    void should_refuse_a_limit_above_1000() {
        assertThat(app.get("/v1/batches/" + finishedBatch + "/results?limit=1001").status()).isEqualTo(400);
    }

    @Test
    void should_answer_404_for_the_results_of_an_unknown_batch() {
        assertThat(app.get("/v1/batches/b-none/results").status()).isEqualTo(404);
        assertThat(stream("/v1/batches/b-none/results", "text/csv").status()).isEqualTo(404);
    }

    @Test
    void should_stream_one_json_document_per_line_when_ndjson_is_accepted() {
        var response = stream("/v1/batches/" + finishedBatch + "/results", "application/x-ndjson");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<String> lines = response.text().lines().toList();
        assertThat(lines).hasSize(TOTAL);
        assertThat(Json.read(lines.get(0)).path("id").isInt()).isTrue();
        assertThat(Json.read(lines.get(5)).path("status").asText()).isEqualTo("failed");
    }

    @Test
    void should_stream_only_matching_lines_when_ndjson_is_filtered_by_status() {
        var response = stream("/v1/batches/" + finishedBatch + "/results?status=failed", "application/x-ndjson");

        assertThat(response.text().lines()).hasSize(4);
    }

    @Test
    void should_stream_csv_with_a_header_and_quoted_errors_when_csv_is_accepted() {
        var response = stream("/v1/batches/" + finishedBatch + "/results", "text/csv");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv");
        List<String> lines = response.text().lines().toList();
        assertThat(lines).hasSize(TOTAL + 1);
        assertThat(lines.get(0)).isEqualTo("id,status,httpStatus,attempts,durationMs,error");
        assertThat(lines.get(1)).startsWith("0,succeeded,200,1,");
        assertThat(lines.get(6)).startsWith("bad5,failed,422,1,").endsWith(",\"HTTP 422: rejected, \"\"really\"\"\"");
    }

    @Test
    void should_send_a_snapshot_progress_events_and_done_when_a_running_batch_is_watched() throws Exception {
        List<String> ids = IntStream.range(0, 16).mapToObj(i -> "slow-sse-" + i).toList();
        String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "concurrency", 2, "items", ids))
                .json().path("id").asText();

        List<Event> events = readEvents("/v1/batches/" + id + "/events");

        assertThat(events.get(0).name()).isEqualTo("snapshot");
        assertThat(events.get(0).data().path("id").asText()).isEqualTo(id);
        Event done = events.get(events.size() - 1);
        assertThat(done.name()).isEqualTo("done");
        assertThat(done.data().path("status").asText()).isEqualTo("completed");
        assertThat(done.data().path("succeeded").asInt()).isEqualTo(16);
        assertThat(done.id()).isEqualTo(16);
        List<Event> progress = events.subList(1, events.size() - 1);
        assertThat(progress).isNotEmpty().allSatisfy(e -> {
            assertThat(e.name()).isEqualTo("progress");
            assertThat(ids).contains(e.data().path("item").path("id").asText());
            assertThat(e.data().path("item").path("status").asText()).isEqualTo("succeeded");
            // the id is the last place in the finish order the event covers; the counts may already hold the next items
            assertThat(e.data().path("succeeded").asInt()).isGreaterThanOrEqualTo((int) e.id());
        });
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).id()).isGreaterThanOrEqualTo(events.get(i - 1).id());
        }
    }

    @Test
    void should_send_a_snapshot_and_done_at_once_when_a_finished_batch_is_watched() throws Exception {
        List<Event> events = readEvents("/v1/batches/" + finishedBatch + "/events");

        assertThat(events).extracting(Event::name).containsExactly("snapshot", "done");
        assertThat(events.get(1).id()).isEqualTo(TOTAL);
        assertThat(events.get(1).data().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void should_answer_404_when_the_events_of_an_unknown_batch_are_watched() {
        assertThat(app.get("/v1/batches/b-none/events").status()).isEqualTo(404);
    }

    private static BatchgateTestApp.Response stream(String path, String accept) {
        return app.send(HttpRequest.newBuilder(URI.create(app.url(path))).header("Accept", accept).GET());
    }

    /** Reads Server-Sent Events until the stream ends. */
    private static List<Event> readEvents(String path) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(URI.create(app.url(path)))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<Event> events = new ArrayList<>();
        ServerSentEvents.read(response.body(), events::add);
        return events;
    }
}
