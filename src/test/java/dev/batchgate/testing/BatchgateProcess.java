package dev.batchgate.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * batchgate as users run it: {@code java -jar target/batchgate.jar} in a child JVM of its own, so a
 * test can SIGKILL or SIGTERM it. The jar is built first when it is missing or older than the
 * compiled classes ({@code ./mvnw -q -o -Dmaven.test.skip=true package}). Its output goes to
 * {@code <workDir>/batchgate.log}, appended across restarts.
 */
public final class BatchgateProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "batchgate.jar");
    private static boolean jarChecked;

    private final Path workDir;
    private final int port;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    public BatchgateProcess(Path workDir, TestDatabase database) {
        this.workDir = workDir;
        this.port = BatchgateTestApp.freePort();
        with("batchgate.port", Integer.toString(port));
        with("batchgate.demo.enabled", "false");
        with("batchgate.db.url", database.url());
        with("batchgate.db.user", database.user());
        with("batchgate.db.password", database.password());
        if (TestDatabase.clusterOfOne()) {
            TestDatabase.clusterOfOneProperties().forEach(this::with);
        }
    }

    /**
     * A node of a cluster on {@code database}, in a directory of its own under {@code workDir} (its log),
     * heartbeating every 500 ms and found dead after 2 s, without an inbox.
     */
    public static BatchgateProcess clusterNode(Path workDir, TestDatabase database, String id) throws IOException {
        return new BatchgateProcess(Files.createDirectories(workDir.resolve(id)), database).with("batchgate.cluster.enabled", "true")
                .with("batchgate.cluster.node-id", id).with("batchgate.cluster.heartbeat", "500ms")
                .with("batchgate.cluster.dead-after", "2s").with("batchgate.inbox.enabled", "false");
    }

    public BatchgateProcess with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** An environment variable of the child JVM, for {@code {{env:NAME}}} placeholders and env overrides. */
    public BatchgateProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public BatchgateProcess target(String name, String url, Map<String, String> settings) {
        with("batchgate.targets." + name + ".url", url);
        settings.forEach((k, v) -> with("batchgate.targets." + name + "." + k, v));
        return this;
    }

    /** Starts the jar and waits until its API answers. */
    public BatchgateProcess start() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar().toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("batchgate exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                // 401: the API is up and wants one of the configured API keys
                int status = get("/v1/targets").status();
                return status == 200 || status == 401;
            } catch (IllegalStateException e) {
                return false;
            }
        });
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
    }

    /** SIGTERM, as a service manager stops a service. */
    public void terminate() {
        process.destroy();
    }

    public int waitForExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("batchgate did not exit within " + atMost);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path logFile() {
        return workDir.resolve("batchgate.log");
    }

    public String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public BatchgateTestApp.Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))));
    }

    public BatchgateTestApp.Response patch(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))));
    }

    public BatchgateTestApp.Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Polls until the batch has finished and returns its summary. */
    public JsonNode awaitFinished(String batchId, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = get("/v1/batches/" + batchId).json();
            String status = last[0] == null ? "" : last[0].path("status").asText();
            return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
        });
        return last[0];
    }

    private BatchgateTestApp.Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && !r.body().isEmpty() ? Json.read(r.body()) : null;
            return new BatchgateTestApp.Response(r.statusCode(), json, r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
    }

    /** target/batchgate.jar, built from the current classes when it is missing or stale. */
    static synchronized Path jar() {
        if (!jarChecked) {
            if (!Files.exists(JAR) || newestClass() > JAR.toFile().lastModified()) {
                build();
            }
            jarChecked = true;
        }
        return JAR;
    }

    private static long newestClass() {
        try (Stream<Path> files = Files.walk(Path.of("target", "classes"))) {
            return files.mapToLong(p -> p.toFile().lastModified()).max().orElse(0);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void build() {
        Path log = Path.of("target", "batchgate-jar-build.log");
        try {
            Process build = new ProcessBuilder("./mvnw", "-q", "-o", "-Dmaven.test.skip=true", "package")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
                throw new IllegalStateException("building target/batchgate.jar failed, see " + log + ":\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ./mvnw to build target/batchgate.jar", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
