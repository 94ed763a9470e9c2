package dev.batchgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.Application;
import dev.batchgate.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real batchgate (routes from {@code ./routes}, the shipped properties) on a free port with a
 * fresh job store, plus a small JSON HTTP client for tests. Properties given here override
 * everything, as {@code -D} would. The job store is an H2 file, or a fresh PostgreSQL schema when
 * {@code BATCHGATE_TEST_DB_URL} is set (see {@link TestDatabase}); pass a {@link TestDatabase} to
 * start an app on the store of an earlier one (a restart).
 */
public final class BatchgateTestApp implements AutoCloseable {

    private final Map<String, String> properties = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Main main;
    private int port;
    private Path dataDir;
    private final TestDatabase database;
    private final boolean ownsDatabase;

    public record Response(int status, JsonNode json, String text, java.net.http.HttpHeaders headers) {
    }

    public BatchgateTestApp() {
        this(null);
    }

    /** An app on the job store of {@code database} (kept open on close), or on a fresh one when null. */
    public BatchgateTestApp(TestDatabase database) {
        try {
            dataDir = Files.createTempDirectory("batchgate-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = freePort();
        this.ownsDatabase = database == null;
        this.database = database != null ? database : TestDatabase.fresh(dataDir);
        with("batchgate.port", Integer.toString(port));
        with("batchgate.demo.enabled", "false");
        with("batchgate.db.url", this.database.url());
        with("batchgate.db.user", this.database.user());
        with("batchgate.db.password", this.database.password());
        with("batchgate.inbox", dataDir.resolve("inbox").toString());
        with("batchgate.outbox", dataDir.resolve("outbox").toString());
        if (TestDatabase.clusterOfOne()) {
            TestDatabase.clusterOfOneProperties().forEach(this::with);
        }
    }

    public TestDatabase database() {
        return database;
    }

    public BatchgateTestApp with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Declares a target on the stub with the given operations ({@code name -> "POST /x/{id}"}). */
    public BatchgateTestApp target(String name, String url, Map<String, String> settings) {
        with("batchgate.targets." + name + ".url", url);
        settings.forEach((k, v) -> with("batchgate.targets." + name + "." + k, v));
        return this;
    }

    /** A property as this app will start with it (the job store url, say, for a second process on the same store). */
    public String property(String key) {
        return properties.get(key);
    }

    public BatchgateTestApp start() {
        main = Application.create();
        properties.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("batchgate did not start", e);
        }
        return this;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))));
    }

    public Response post(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body)));
        headers.forEach(b::header);
        return send(b);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (type.contains("json") && !r.body().isEmpty()) {
                json = Json.read(r.body());
            }
            return new Response(r.statusCode(), json, r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the batch has finished and returns its summary. */
    public JsonNode awaitFinished(String batchId) {
        JsonNode[] last = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = get("/v1/batches/" + batchId).json();
            String status = last[0].path("status").asText();
            return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
        });
        return last[0];
    }

    @Override
    public void close() {
        if (main != null) {
            try {
                main.stop();
            } catch (Exception e) {
                // best effort in tests
            }
        }
        if (ownsDatabase) {
            database.close();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
