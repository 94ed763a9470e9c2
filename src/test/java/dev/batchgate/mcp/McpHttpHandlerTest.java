package dev.batchgate.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class McpHttpHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final ReleasableTool SLOW_TOOL = new ReleasableTool();

    private static McpTestHttpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = McpTestHttpServer.start(new EchoItemsTool(), SLOW_TOOL);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void should_answer_200_with_json_when_the_client_initializes() throws Exception {
        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"0\"}}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body()).at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
    }

    @Test
    void should_answer_200_with_the_tool_result_when_a_tool_is_called() throws Exception {
        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"echo_items\",\"arguments\":{\"ids\":[\"a\"],\"uppercase\":true}}}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.at("/result/isError").asBoolean(true)).isFalse();
        assertThat(JSON.readTree(answer.at("/result/content/0/text").asText()).get("ids").get(0).asText()).isEqualTo("A");
    }

    @Test
    void should_answer_202_without_body_when_the_message_is_a_notification() throws Exception {
        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void should_answer_200_with_a_parse_error_when_the_json_is_malformed() throws Exception {
        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body()).at("/error/code").asInt()).isEqualTo(-32700);
    }

    @Test
    void should_answer_200_with_a_parse_error_when_the_body_is_empty() throws Exception {
        HttpResponse<String> response = post("");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/error/code").asInt()).isEqualTo(-32700);
    }

    @Test
    void should_answer_200_with_method_not_found_when_the_method_is_unknown() throws Exception {
        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/list\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/error/code").asInt()).isEqualTo(-32601);
    }

    @Test
    void should_answer_405_when_the_client_asks_for_an_sse_stream() throws Exception {
        HttpResponse<String> response = HTTP.send(request().header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void should_answer_405_when_the_client_deletes_a_session() throws Exception {
        HttpResponse<String> response = HTTP.send(request().header("Mcp-Session-Id", "any").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void should_answer_400_when_the_protocol_version_header_is_unsupported() throws Exception {
        HttpResponse<String> response = HTTP.send(
                jsonPost("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}").header("MCP-Protocol-Version", "1999-01-01").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void should_answer_when_the_protocol_version_header_is_supported() throws Exception {
        HttpResponse<String> response = HTTP.send(
                jsonPost("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}").header("MCP-Protocol-Version", "2025-03-26").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("result")).isEmpty();
    }

    @Test
    void should_answer_403_when_the_origin_is_not_local() throws Exception {
        HttpResponse<String> response = HTTP.send(
                jsonPost("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}").header("Origin", "https://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void should_answer_when_the_origin_is_local() throws Exception {
        HttpResponse<String> response = HTTP.send(
                jsonPost("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}").header("Origin", "http://localhost:6274").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void should_answer_other_requests_when_a_tool_call_is_still_running() throws Exception {
        CompletableFuture<HttpResponse<String>> slowCall = HTTP.sendAsync(
                jsonPost("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"wait_for_release\"}}").build(),
                HttpResponse.BodyHandlers.ofString());
        SLOW_TOOL.called.get(10, TimeUnit.SECONDS);

        HttpResponse<String> ping = post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}");

        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(slowCall).isNotDone();
        SLOW_TOOL.release.complete(McpTool.ToolResult.success("released"));
        HttpResponse<String> slowResponse = slowCall.get(10, TimeUnit.SECONDS);
        assertThat(JSON.readTree(slowResponse.body()).at("/result/content/0/text").asText()).isEqualTo("released");
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(jsonPost(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder jsonPost(String body) {
        return request()
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder request() {
        return HttpRequest.newBuilder(server.mcpUri()).timeout(Duration.ofSeconds(10));
    }

    /** A tool that answers only when the test releases it, like a batch still running downstream. */
    private static final class ReleasableTool implements McpTool {

        private final CompletableFuture<Void> called = new CompletableFuture<>();
        private final CompletableFuture<ToolResult> release = new CompletableFuture<>();

        @Override
        public String name() {
            return "wait_for_release";
        }

        @Override
        public String description() {
            return "Answers when the test releases it";
        }

        @Override
        public ObjectNode inputSchema() {
            return JSON.createObjectNode().put("type", "object");
        }

        @Override
        public CompletableFuture<ToolResult> call(JsonNode arguments) {
            called.complete(null);
            return release;
        }
    }
}
