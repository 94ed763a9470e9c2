package dev.batchgate.trigger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileDropTest {

    static StubServer stub;
    static BatchgateTestApp app;
    static Path inbox;
    static Path outbox;

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(r -> r.path().contains("/missing-") ? StubServer.Reply.json(404, "{\"error\":\"no such instance\"}")
                : StubServer.Reply.json(200, "{\"state\":\"running\"}"));
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.of(
                        "operations.start", "POST /instances/{id}/start",
                        "operations.tag", "POST /instances/{id}/tags",
                        "operations.tag.body", "{\"reason\":\"{params.reason}\",\"zone\":\"{params.zone}\"}",
                        "retries", "0"))
                .with("batchgate.inbox.stable-for", "1s")
                .with("batchgate.inbox.poll-interval", "100ms")
                .with("batchgate.inbox.chunk-items", "3")
                .start();
        inbox = app.dataDir().resolve("inbox");
        outbox = app.dataDir().resolve("outbox");
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    @BeforeEach
    void forgetRequests() {
        stub.reset();
    }

    @Test
    void should_run_every_line_and_write_summary_and_results_when_an_item_list_is_dropped() throws IOException {
        drop("svc/start/plain.txt", "i-1\n\ni-2\r\nmissing-3\ni-4\ni-5\n");

        JsonNode summary = awaitSummary("plain");

        assertThat(summary.path("trigger").asText()).isEqualTo("file:svc/start/plain.txt");
        assertThat(summary.path("status").asText()).isEqualTo("completed");
        assertThat(summary.path("total").asInt()).isEqualTo(5);
        assertThat(summary.path("succeeded").asInt()).isEqualTo(4);
        assertThat(summary.path("failed").asInt()).isEqualTo(1);
        List<JsonNode> results = jsonLines(outbox.resolve("plain.results.jsonl"));
        assertThat(results).extracting(r -> r.path("id").asText()).containsExactly("i-1", "i-2", "missing-3", "i-4", "i-5");
        assertThat(results.get(2).path("error").asText()).isEqualTo("HTTP 404: no such instance");
        assertThat(inbox.resolve(".done/svc/start/plain.txt")).exists();
        assertThat(stub.requests("/instances/")).hasSize(5);
    }

    @Test
    void should_send_the_other_columns_as_params_when_a_csv_is_dropped() throws IOException {
        drop("svc/tag/tags.csv", "id,reason,zone\ni-1,deploy,eu\n\"i-2\",\"say \"\"hi\"\", then go\",us\n");

        JsonNode summary = awaitSummary("tags");

        assertThat(summary.path("succeeded").asInt()).isEqualTo(2);
        List<String> bodies = stub.requests("/instances/").stream().map(StubServer.Recorded::body).sorted().toList();
        assertThat(bodies).containsExactly("{\"reason\":\"deploy\",\"zone\":\"eu\"}",
                "{\"reason\":\"say \\\"hi\\\", then go\",\"zone\":\"us\"}");
    }

    @Test
    void should_run_the_request_when_a_json_batch_request_is_dropped() throws IOException {
        drop("request.json", "{\"target\": \"svc\", \"operation\": \"tag\", \"params\": {\"zone\": \"eu\"},\n"
                + " \"items\": [{\"id\": \"i-1\", \"params\": {\"reason\": \"a\"}}, {\"id\": 2, \"params\": {\"reason\": \"b\"}}]}");

        JsonNode summary = awaitSummary("request");

        assertThat(summary.path("trigger").asText()).isEqualTo("file:request.json");
        assertThat(summary.path("succeeded").asInt()).isEqualTo(2);
        assertThat(jsonLines(outbox.resolve("request.results.jsonl")).get(1).path("id").isInt()).isTrue();
    }

    @Test
    void should_reject_the_file_naming_line_and_field_when_a_line_is_bad() throws IOException {
        drop("svc/start/bad.jsonl", "\"i-1\"\n{\"id\": \"i-2\"}\n\n{\"id\": \"\"}\n{\"id\": \"i-5\", \"params\": 3}\n{\"id\": \"i-1\"}\n");

        Path error = outbox.resolve("bad.error.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(error));

        JsonNode doc = Json.read(Files.readString(error));
        assertThat(doc.path("error").asText()).isEqualTo("line 4: id: id must not be empty (and 1 more problems)");
        assertThat(doc.path("file").asText()).isEqualTo("svc/start/bad.jsonl");
        assertThat(doc.path("details").get(0).path("line").asInt()).isEqualTo(4);
        assertThat(doc.path("details").get(0).path("field").asText()).isEqualTo("id");
        assertThat(doc.path("details").get(0).path("index").asInt()).isEqualTo(2);
        assertThat(doc.path("details").get(1).path("line").asInt()).isEqualTo(5);
        assertThat(doc.path("details").get(1).path("field").asText()).isEqualTo("params");
        assertThat(inbox.resolve(".failed/svc/start/bad.jsonl")).exists();
        assertThat(batchOf("file:svc/start/bad.jsonl")).isEmpty();
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void should_reject_a_duplicate_id_in_a_later_chunk_when_the_file_repeats_an_id() throws IOException {
        drop("svc/start/dups.txt", "a\nb\nc\nd\nb\n");

        Path error = outbox.resolve("dups.error.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(error));

        JsonNode detail = Json.read(Files.readString(error)).path("details").get(0);
        assertThat(detail.path("line").asInt()).isEqualTo(5);
        assertThat(detail.path("message").asText()).isEqualTo("duplicate id 'b' (also item 2 of the file)");
        assertThat(batchOf("file:svc/start/dups.txt")).isEmpty();
    }

    @Test
    void should_reject_the_file_when_its_folder_names_an_unknown_target() throws IOException {
        drop("nope/start/ids.txt", "i-1\n");

        Path error = outbox.resolve("ids.error.json");
        Path failed = inbox.resolve(".failed/nope/start/ids.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(error) && Files.exists(failed));

        assertThat(Json.read(Files.readString(error)).path("error").asText()).isEqualTo("target: unknown target 'nope'");
    }

    @Test
    void should_wait_for_the_file_to_stop_changing_when_it_is_still_being_written() throws IOException {
        Path file = inbox.resolve("svc/start/growing.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "g-0\n");
        int[] written = {1};

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Files.writeString(file, "g-" + written[0]++ + "\n", StandardOpenOption.APPEND);
            return Files.exists(file) && batchOf("file:svc/start/growing.txt").isEmpty();
        });

        JsonNode summary = awaitSummary("growing");
        assertThat(summary.path("total").asInt()).isEqualTo(written[0]);
        assertThat(summary.path("succeeded").asInt()).isEqualTo(written[0]);
    }

    @Test
    void should_make_two_batches_and_overwrite_nothing_when_the_same_name_is_dropped_twice() throws IOException {
        drop("svc/start/twice.txt", "t-1\n");
        JsonNode first = awaitSummary("twice");
        drop("svc/start/twice.txt", "t-2\nt-3\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> outboxFiles("twice-").size() == 2);

        String second = batchOf("file:svc/start/twice.txt").stream().filter(b -> !b.equals(first.path("id").asText()))
                .findFirst().orElseThrow();
        assertThat(outboxFiles("twice-")).containsExactlyInAnyOrder("twice-" + second + ".summary.json",
                "twice-" + second + ".results.jsonl");
        assertThat(Json.read(Files.readString(outbox.resolve("twice.summary.json"))).path("total").asInt()).isEqualTo(1);
        assertThat(Json.read(Files.readString(outbox.resolve("twice-" + second + ".summary.json"))).path("total").asInt())
                .isEqualTo(2);
        assertThat(Files.readString(inbox.resolve(".done/svc/start/twice.txt"))).isEqualTo("t-1\n");
        assertThat(Files.readString(inbox.resolve(".done/svc/start/twice-" + second + ".txt"))).isEqualTo("t-2\nt-3\n");
    }

    /** Writes the file under a name the inbox ignores, then renames it: how a careful writer drops a file. */
    static void drop(String path, String content) throws IOException {
        Path target = inbox.resolve(path);
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.writeString(part, content, StandardCharsets.UTF_8);
        Files.move(part, target);
    }

    static JsonNode awaitSummary(String name) {
        Path summary = outbox.resolve(name + ".summary.json");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(summary));
        try {
            return Json.read(Files.readString(summary));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> batchOf(String trigger) {
        List<String> ids = new ArrayList<>();
        app.get("/v1/batches?limit=1000").json().path("batches").forEach(b -> {
            if (b.path("trigger").asText().equals(trigger)) {
                ids.add(b.path("id").asText());
            }
        });
        return ids;
    }

    static List<JsonNode> jsonLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(Json::read).toList();
    }

    static List<String> outboxFiles(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(outbox)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }
}
