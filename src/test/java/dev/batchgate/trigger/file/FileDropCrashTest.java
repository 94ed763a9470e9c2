package dev.batchgate.trigger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.Application;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.TestDatabase;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batchgate killed (SIGKILL) while it reads a dropped file goes on after a restart without reading a line twice. */
class FileDropCrashTest {

    private static final int LINES = 30_000;
    private static final String OPERATION = "log:file-drop-crash?level=OFF";

    @TempDir
    Path dir;
    private Process child;
    private TestDatabase database;
    private BatchgateTestApp restarted;

    @AfterEach
    void stop() {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
        }
        if (restarted != null) {
            restarted.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void should_resume_reading_where_the_store_stopped_when_batchgate_is_killed_mid_file() throws Exception {
        database = TestDatabase.fresh(dir);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("batchgate.db.url", database.url());
        settings.put("batchgate.db.user", database.user());
        settings.put("batchgate.db.password", database.password());
        settings.put("batchgate.inbox", dir.resolve("inbox").toString());
        settings.put("batchgate.outbox", dir.resolve("outbox").toString());
        settings.put("batchgate.demo.enabled", "false");
        settings.put("batchgate.inbox.stable-for", "200ms");
        settings.put("batchgate.inbox.poll-interval", "100ms");
        settings.put("batchgate.inbox.chunk-items", "10");
        settings.put("batchgate.targets.svc.url", "http://127.0.0.1:9");
        settings.put("batchgate.targets.svc.operations.start", OPERATION);
        int port = BatchgateTestApp.freePort();
        child = startChild(settings, port);
        awaitUp(port);

        Path file = dir.resolve("inbox/svc/start/big.txt");
        Files.createDirectories(file.getParent());
        Path part = file.resolveSibling("big.txt.part");
        try (BufferedWriter out = Files.newBufferedWriter(part)) {
            for (int i = 0; i < LINES; i++) {
                out.write("i-" + i + "\n");
            }
        }
        Files.move(part, file);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> storedSoFar(port) > 0);
        child.destroyForcibly().waitFor();

        Stored leftover = stored();
        assertThat(leftover.total()).as("killed while reading").isBetween(1, LINES - 1);
        assertThat(leftover.extra()).contains("\"filling\":true");
        assertThat(processingFiles()).hasSize(1);

        restarted = new BatchgateTestApp(database);
        settings.forEach(restarted::with);
        restarted.start();

        JsonNode summary = restarted.awaitFinished(leftover.id());
        assertThat(summary.path("status").asText()).isEqualTo("completed");
        assertThat(summary.path("total").asInt()).isEqualTo(LINES);
        assertThat(summary.path("succeeded").asInt()).isEqualTo(LINES);
        Path results = dir.resolve("outbox/big.results.jsonl");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("outbox/big.summary.json")));
        List<String> ids = new ArrayList<>();
        try (Stream<String> lines = Files.lines(results)) {
            lines.forEach(line -> ids.add(Json.read(line).path("id").asText()));
        }
        assertThat(ids).hasSize(LINES);
        for (int i = 0; i < LINES; i++) {
            assertThat(ids.get(i)).isEqualTo("i-" + i);
        }
        assertThat(dir.resolve("inbox/.done/svc/start/big.txt")).exists();
        assertThat(processingFiles()).isEmpty();
    }

    private Process startChild(Map<String, String> settings, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "-Dbatchgate.port=" + port));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(Application.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    private static void awaitUp(int port) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batches")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    /** How many items of the dropped file the child has stored, as its API shows them. */
    private static int storedSoFar(int port) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/batches?status=pending")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode batch : Json.read(body).path("batches")) {
            if (batch.path("trigger").asText().equals("file:svc/start/big.txt")) {
                return batch.path("total").asInt();
            }
        }
        return 0;
    }

    private record Stored(String id, int total, String extra) {
    }

    /** The batch row the killed process left behind, read straight from its job store. */
    private Stored stored() throws Exception {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, total, extra FROM batches WHERE trigger_name = 'file:svc/start/big.txt'")) {
            assertThat(rs.next()).isTrue();
            return new Stored(rs.getString(1), rs.getInt(2), rs.getString(3));
        }
    }

    private List<Path> processingFiles() throws IOException {
        Path processing = dir.resolve("inbox/.processing");
        if (!Files.exists(processing)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(processing)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
