package dev.batchgate.facade.coolify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official MCP TypeScript SDK client ({@code src/test/node/mcp-client.mjs}) against the Coolify
 * tools: over Streamable HTTP against the running app, and over stdio against the real jar
 * ({@code java -jar target/batchgate.jar mcp}) started from another directory on the same job store.
 */
class CoolifyMcpSdkTest {

    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final Path JAR = Path.of("target", "batchgate.jar").toAbsolutePath();
    private static final Path CLASSES = Path.of("target", "classes").toAbsolutePath();
    private static final String SECRET = "sk-stdio-5e2d7a9b41";
    private static final long CLIENT_TIMEOUT_SECONDS = 180;

    static CoolifyStub coolify;
    static BatchgateTestApp app;

    @TempDir
    Path workDir;

    @BeforeAll
    static void start() {
        coolify = new CoolifyStub();
        app = new BatchgateTestApp()
                .with("batchgate.targets.coolify.url", coolify.url())
                .with("batchgate.targets.coolify.headers.Authorization", "Bearer " + CoolifyStub.TOKEN)
                .with("batchgate.targets.coolify.rpm", "6000")
                .with("batchgate.coolify.poll-interval", "20ms")
                .with("batchgate.mcp.max-wait", "3s")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        coolify.close();
    }

    // Checked per test: surefire reports each skipped test with its reason.
    @BeforeEach
    void requireNodeAndTheSdk() {
        assumeTrue(nodeRuns(), "node is not installed: skipping the MCP SDK client tests");
        assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/@modelcontextprotocol/sdk")),
                "the MCP SDK is not installed: run `npm ci --prefix src/test/node` to enable the MCP SDK client tests");
    }

    @Test
    void should_list_and_call_every_tool_when_the_sdk_client_connects_over_streamable_http() {
        List<Map<String, Object>> calls = List.of(
                call("batch_restart_applications", Map.of("application_uuids", List.of("app-1", "app-missing"),
                        "wait_for_completion", true)),
                call("batch_stop_applications", Map.of("application_uuids", List.of("app-2", "app-stopped"))),
                call("batch_start_services", Map.of("service_uuids", List.of("svc-1"))),
                call("batch_stop_services", Map.of("service_uuids", List.of("svc-2"), "force", true)),
                call("batch_update_env_vars", Map.of("application_uuids", List.of("app-1"),
                        "env_vars", Map.of("API_KEY", SECRET), "restart_after_update", true)),
                call("get_batch", Map.of("batch_id", "${0.batch_id}")),
                call("retry_failed", Map.of("batch_id", "${0.batch_id}")),
                call("batch_restart_applications", Map.of("application_uuids", List.of("app-deploy-hangs"),
                        "wait_for_completion", true)),
                call("cancel_batch", Map.of("batch_id", "${7.batch_id}")),
                call("batch_start_services", Map.of("service_uuids", List.of())));

        ClientRun run = runClient(List.of("http", app.url("/mcp")), calls);

        JsonNode output = run.output();
        assertThat(output.at("/serverInfo/name").asText()).isEqualTo("batchgate");
        assertThat(output.get("protocolVersion").asText()).isEqualTo("2025-06-18");
        assertThat(output.get("tools")).hasSize(8);
        assertThat(output.at("/tools/0/inputSchema/properties/wait_for_completion/default").asBoolean(true)).isFalse();
        List<JsonNode> documents = documents(output, 9);
        assertThat(documents.get(0).toString()).contains("\"successful\":1", "\"failed\":1", "deployment_uuid");
        assertThat(documents.get(1).at("/results/1/skipped").asBoolean()).isTrue();
        assertThat(documents.get(2).get("successful").asInt()).isEqualTo(1);
        assertThat(documents.get(3).get("successful").asInt()).isEqualTo(1);
        assertThat(documents.get(4).toString()).contains("\"env_vars\":{\"API_KEY\":\"***\"}", "\"restarted\":true");
        assertThat(documents.get(5).get("batch_id")).isEqualTo(documents.get(0).get("batch_id"));
        assertThat(documents.get(6).at("/results/0/uuid").asText()).isEqualTo("app-missing");
        assertThat(documents.get(7).at("/results/0/status").asText()).isEqualTo("pending");
        assertThat(documents.get(8).at("/results/0/error").asText()).startsWith("cancelled while waiting for deployment");
        JsonNode invalid = output.at("/results/9");
        assertThat(invalid.get("isError").asBoolean()).isTrue();
        assertThat(invalid.at("/content/0/text").asText()).isEqualTo("service_uuids: must contain at least 1 item");
        assertThat(run.stderr()).doesNotContain(SECRET);
    }

    @Test
    void should_serve_the_tools_over_stdio_from_another_directory_when_the_jar_runs_next_to_a_server() {
        assumeTrue(Files.isRegularFile(JAR), "target/batchgate.jar is missing: run `./mvnw -DskipTests package` "
                + "to enable the stdio test against the real jar");
        assumeTrue(!isOlderThanTheClasses(JAR), "target/batchgate.jar is older than target/classes: run "
                + "`./mvnw -DskipTests package` to test the current code over stdio");
        List<String> launch = new ArrayList<>(List.of("stdio", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        for (String key : List.of("batchgate.db.url", "batchgate.db.user", "batchgate.db.password",
                "batchgate.targets.coolify.url", "batchgate.targets.coolify.headers.Authorization",
                "batchgate.targets.coolify.rpm", "batchgate.coolify.poll-interval", "batchgate.mcp.max-wait")) {
            if (app.property(key) != null) {
                launch.add("-D" + key + "=" + app.property(key));
            }
        }
        launch.addAll(List.of("-jar", JAR.toString(), "mcp"));

        ClientRun run = runClient(launch, List.of(
                call("batch_update_env_vars", Map.of("application_uuids", List.of("app-2", "app-envs-refused"),
                        "env_vars", Map.of("API_KEY", SECRET))),
                call("batch_restart_applications", Map.of("application_uuids", List.of("app-1"))),
                call("get_batch", Map.of("batch_id", "${0.batch_id}"))));

        assertThat(run.output().at("/serverInfo/name").asText()).isEqualTo("batchgate");
        assertThat(run.output().get("tools")).hasSize(8);
        List<JsonNode> documents = documents(run.output(), 3);
        assertThat(documents.get(0).get("successful").asInt()).isEqualTo(1);
        assertThat(documents.get(0).at("/results/1/error").asText()).isEqualTo("HTTP 422: Invalid value for API_KEY: ***");
        assertThat(documents.get(1).at("/results/0/status").asText()).isEqualTo("success");
        assertThat(documents.get(2)).isEqualTo(documents.get(0));
        assertThat(coolify.calls("PATCH", "/api/v1/applications/app-2/envs/bulk").get(0).body()).contains(SECRET);
        assertThat(run.stderr()).contains("batch_update_env_vars").doesNotContain(SECRET);
        JsonNode shared = app.get("/v1/batches/" + documents.get(0).get("batch_id").asText()).json();
        assertThat(shared.get("trigger").asText()).isEqualTo("mcp");
        assertThat(shared.get("status").asText()).isEqualTo("completed");
    }

    private record ClientRun(JsonNode output, String stderr) {
    }

    private ClientRun runClient(List<String> connection, List<Map<String, Object>> calls) {
        List<String> command = new ArrayList<>(List.of("node", NODE_DIR.resolve("mcp-client.mjs").toString()));
        command.addAll(connection);
        command.add("--calls");
        command.add(Json.write(calls));
        File stdout = workDir.resolve("stdout.json").toFile();
        File stderr = workDir.resolve("stderr.txt").toFile();
        try {
            // the working directory has neither routes/ nor application.properties: the jar's own are used
            Process client = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(stdout).redirectError(stderr).start();
            boolean exited = client.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                client.destroyForcibly();
            }
            String errors = Files.readString(stderr.toPath());
            assertThat(exited).as("node client finished; stderr:%n%s", errors).isTrue();
            assertThat(client.exitValue()).as("node client exit code; stderr:%n%s", errors).isZero();
            return new ClientRun(Json.read(Files.readString(stdout.toPath())), errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON documents the first {@code count} calls answered; each must be a success. */
    private static List<JsonNode> documents(JsonNode output, int count) {
        List<JsonNode> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode result = output.get("results").get(i);
            assertThat(result.get("isError").asBoolean()).as("call %d: %s", i, result).isFalse();
            documents.add(Json.read(result.at("/content/0/text").asText()));
        }
        return documents;
    }

    private static Map<String, Object> call(String name, Map<String, Object> arguments) {
        return Map.of("name", name, "arguments", arguments);
    }

    private static boolean isOlderThanTheClasses(Path jar) {
        try (Stream<Path> classes = Files.walk(CLASSES)) {
            FileTime built = Files.getLastModifiedTime(jar);
            return classes.filter(path -> path.toString().endsWith(".class")).anyMatch(path -> {
                try {
                    return Files.getLastModifiedTime(path).compareTo(built) > 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean nodeRuns() {
        try {
            return new ProcessBuilder("node", "--version").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
