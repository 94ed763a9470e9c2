package dev.batchgate.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class McpServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final McpServer server = new McpServer("1.2.3", List.of(new EchoItemsTool()));

    @ParameterizedTest
    @ValueSource(strings = {"2025-06-18", "2025-03-26", "2024-11-05"})
    void should_answer_the_clients_protocol_version_when_it_is_supported(String version) throws Exception {
        JsonNode answer = answer(initialize(version));

        assertThat(answer.at("/result/protocolVersion").asText()).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-11-25", "1999-01-01", "not-a-version"})
    void should_answer_the_latest_protocol_version_when_the_clients_version_is_unknown(String version) throws Exception {
        JsonNode answer = answer(initialize(version));

        assertThat(answer.at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
    }

    @Test
    void should_describe_server_and_tools_capability_when_initializing() throws Exception {
        JsonNode answer = answer(initialize("2025-06-18"));

        assertThat(answer.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(answer.get("id").asInt()).isEqualTo(1);
        assertThat(answer.at("/result/serverInfo")).isEqualTo(json("{\"name\":\"batchgate\",\"version\":\"1.2.3\"}"));
        assertThat(answer.at("/result/capabilities")).isEqualTo(json("{\"tools\":{}}"));
    }

    @Test
    void should_answer_invalid_params_when_initialize_has_no_protocol_version() throws Exception {
        JsonNode answer = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}");

        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32602);
    }

    @Test
    void should_list_tools_with_their_schema_and_defaults_when_asked() throws Exception {
        JsonNode answer = answer("{\"jsonrpc\":\"2.0\",\"id\":\"list\",\"method\":\"tools/list\"}");

        assertThat(answer.get("id").asText()).isEqualTo("list");
        JsonNode tools = answer.at("/result/tools");
        assertThat(tools).hasSize(1);
        assertThat(tools.get(0).get("name").asText()).isEqualTo("echo_items");
        assertThat(tools.get(0).get("description").asText()).isNotBlank();
        assertThat(tools.get(0).get("inputSchema")).isEqualTo(new EchoItemsTool().inputSchema());
        assertThat(tools.get(0).at("/inputSchema/properties/uppercase/default").asBoolean(true)).isFalse();
    }

    @Test
    void should_call_the_tool_with_defaults_filled_in_when_arguments_are_valid() throws Exception {
        JsonNode answer = answer(callEcho("{\"ids\":[\"a\",\"b\"]}"));

        assertThat(answer.at("/result/isError").asBoolean(true)).isFalse();
        assertThat(answer.at("/result/content")).hasSize(1);
        assertThat(answer.at("/result/content/0/type").asText()).isEqualTo("text");
        assertThat(json(answer.at("/result/content/0/text").asText()))
                .isEqualTo(json("{\"ids\":[\"a\",\"b\"],\"uppercase\":false}"));
    }

    @Test
    void should_answer_an_error_result_naming_the_field_when_an_argument_is_invalid() throws Exception {
        JsonNode answer = answer(callEcho("{\"ids\":[\"a\",\"b\",\"\"]}"));

        assertThat(answer.has("error")).isFalse();
        assertThat(answer.at("/result/isError").asBoolean()).isTrue();
        assertThat(answer.at("/result/content/0/text").asText()).isEqualTo("ids[2]: must be a non-empty string");
    }

    @Test
    void should_answer_an_error_result_when_a_required_argument_is_missing() throws Exception {
        JsonNode answer = answer("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo_items\"}}");

        assertThat(answer.at("/result/isError").asBoolean()).isTrue();
        assertThat(answer.at("/result/content/0/text").asText()).isEqualTo("ids: is required");
    }

    @Test
    void should_answer_an_error_result_naming_the_tool_when_the_tool_fails() throws Exception {
        McpServer failing = new McpServer("1.2.3", List.of(new FailingTool()));

        JsonNode answer = failing.handle(
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"fail\",\"arguments\":{}}}")
                .orElseThrow().get(5, TimeUnit.SECONDS);

        assertThat(answer.at("/result/isError").asBoolean()).isTrue();
        assertThat(answer.at("/result/content/0/text").asText()).isEqualTo("fail failed: downstream unreachable");
    }

    @Test
    void should_answer_invalid_params_when_the_tool_is_unknown() throws Exception {
        JsonNode answer = answer(
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\",\"arguments\":{}}}");

        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(answer.at("/error/message").asText()).contains("nope");
        assertThat(answer.get("id").asInt()).isEqualTo(5);
    }

    @Test
    void should_answer_method_not_found_when_the_method_is_unknown() throws Exception {
        JsonNode answer = answer("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/list\"}");

        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(answer.get("id").asInt()).isEqualTo(6);
    }

    @Test
    void should_answer_an_empty_result_when_pinged() throws Exception {
        JsonNode answer = answer("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");

        assertThat(answer).isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":1}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/whatever\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}"
    })
    void should_not_answer_when_the_message_is_a_notification_or_a_response(String message) {
        assertThat(server.handle(message)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"jsonrpc\":\"2.0\",", "", "{} {}", "not json"})
    void should_answer_a_parse_error_when_the_json_is_malformed(String message) throws Exception {
        JsonNode answer = answer(message);

        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(answer.get("id").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "42",
            "{\"id\":1,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}"
    })
    void should_answer_invalid_request_when_the_message_is_not_a_valid_request(String message) throws Exception {
        JsonNode answer = answer(message);

        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32600);
    }

    @Test
    void should_answer_each_request_in_order_when_given_a_batch() throws Exception {
        JsonNode answer = answer("["
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo_items\",\"arguments\":{\"ids\":[\"x\"]}}},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-03-26\"}}"
                + "]");

        assertThat(answer.isArray()).isTrue();
        assertThat(answer).extracting(message -> message.get("id").asInt()).containsExactly(1, 2, 3);
        assertThat(answer.at("/0/result/isError").asBoolean(true)).isFalse();
        assertThat(answer.at("/1/result")).isEqualTo(json("{}"));
        assertThat(answer.at("/2/error/code").asInt()).isEqualTo(-32600);
    }

    @Test
    void should_not_answer_when_a_batch_holds_only_notifications() {
        assertThat(server.handle("[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]")).isEmpty();
    }

    @Test
    void should_answer_invalid_request_when_the_batch_is_empty() throws Exception {
        JsonNode answer = answer("[]");

        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32600);
    }

    @Test
    void should_refuse_tools_when_two_share_a_name() {
        assertThatThrownBy(() -> new McpServer("1.2.3", List.of(new EchoItemsTool(), new EchoItemsTool())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("echo_items");
    }

    private JsonNode answer(String message) throws Exception {
        return server.handle(message).orElseThrow().get(5, TimeUnit.SECONDS);
    }

    private static String initialize(String version) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + version + "\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"0\"}}}";
    }

    private static String callEcho(String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo_items\",\"arguments\":"
                + arguments + "}}";
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** A tool whose downstream is gone. */
    private static final class FailingTool implements McpTool {

        @Override
        public String name() {
            return "fail";
        }

        @Override
        public String description() {
            return "Always fails";
        }

        @Override
        public ObjectNode inputSchema() {
            return JSON.createObjectNode().put("type", "object");
        }

        @Override
        public CompletableFuture<ToolResult> call(JsonNode arguments) {
            return CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("downstream unreachable");
            });
        }
    }
}
