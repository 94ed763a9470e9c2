package dev.batchgate.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official MCP TypeScript SDK client ({@code src/test/node/mcp-client.mjs}) against both transports. */
class McpNodeClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE_DIR = Path.of("src", "test", "node");
    private static final long CLIENT_TIMEOUT_SECONDS = 60;

    private static McpTestHttpServer server;

    @TempDir
    Path processOutput;

    @BeforeAll
    static void startServer() throws Exception {
        server = McpTestHttpServer.start(new EchoItemsTool());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    // Checked per test, not per class: surefire reports each skipped test with this message.
    @BeforeEach
    void requireNodeAndTheSdk() {
        assumeTrue(nodeRuns(), "node is not installed: skipping the MCP SDK client tests");
        assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/@modelcontextprotocol/sdk")),
                "the MCP SDK is not installed: run `npm ci --prefix src/test/node` to enable the MCP SDK client tests");
    }

    @Test
    void should_list_and_call_tools_when_the_sdk_client_connects_over_streamable_http() throws Exception {
        JsonNode output = runClient(List.of("http", server.mcpUri().toString()), "{\"ids\":[\"a\",\"b\"],\"uppercase\":true}");

        assertThat(output.at("/serverInfo/name").asText()).isEqualTo("batchgate");
        assertThat(output.get("protocolVersion").asText()).isEqualTo("2025-06-18");
        assertThat(output.at("/capabilities/tools").isObject()).isTrue();
        assertThat(output.at("/tools/0/name").asText()).isEqualTo("echo_items");
        assertThat(output.at("/tools/0/inputSchema/required/0").asText()).isEqualTo("ids");
        assertThat(output.at("/result/isError").asBoolean(true)).isFalse();
        assertThat(JSON.readTree(output.at("/result/content/0/text").asText()))
                .isEqualTo(JSON.readTree("{\"ids\":[\"A\",\"B\"],\"uppercase\":true}"));
    }

    @Test
    void should_return_an_error_result_naming_the_field_when_the_sdk_client_sends_invalid_arguments() throws Exception {
        JsonNode output = runClient(List.of("http", server.mcpUri().toString()), "{\"ids\":[]}");

        assertThat(output.at("/result/isError").asBoolean()).isTrue();
        assertThat(output.at("/result/content/0/text").asText()).isEqualTo("ids: must contain at least 1 item");
    }

    @Test
    void should_list_and_call_tools_when_the_sdk_client_launches_the_stdio_server() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> launch = List.of("stdio", java.toString(),
                // A small, quick-starting JVM: the client waits for it on every test run.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), EchoItemsStdioMain.class.getName());

        JsonNode output = runClient(launch, "{\"ids\":[\"x\"]}");

        assertThat(output.at("/serverInfo/name").asText()).isEqualTo("batchgate");
        assertThat(output.at("/tools/0/name").asText()).isEqualTo("echo_items");
        assertThat(output.at("/result/isError").asBoolean(true)).isFalse();
        assertThat(JSON.readTree(output.at("/result/content/0/text").asText()))
                .isEqualTo(JSON.readTree("{\"ids\":[\"x\"],\"uppercase\":false}"));
    }

    private JsonNode runClient(List<String> connection, String arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", NODE_DIR.resolve("mcp-client.mjs").toString()));
        command.addAll(connection);
        command.add(EchoItemsTool.NAME);
        command.add(arguments);
        File stdout = processOutput.resolve("stdout.json").toFile();
        File stderr = processOutput.resolve("stderr.txt").toFile();
        Process client = new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr).start();

        boolean exited = client.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            client.destroyForcibly();
        }

        String errors = Files.readString(stderr.toPath());
        assertThat(exited).as("node client finished; stderr:%n%s", errors).isTrue();
        assertThat(client.exitValue()).as("node client exit code; stderr:%n%s", errors).isZero();
        return JSON.readTree(Files.readString(stdout.toPath()));
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
