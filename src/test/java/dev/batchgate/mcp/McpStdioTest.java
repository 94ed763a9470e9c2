package dev.batchgate.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class McpStdioTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final McpServer server = new McpServer("test", List.of(new EchoItemsTool()));

    @Test
    void should_write_one_answer_per_request_line_when_the_input_ends() throws Exception {
        List<JsonNode> answers = serve(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2024-11-05\"}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo_items\",\"arguments\":{\"ids\":[\"é\"]}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");

        assertThat(answers).extracting(answer -> answer.get("id").asInt()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(answerTo(answers, 1).at("/result/protocolVersion").asText()).isEqualTo("2024-11-05");
        assertThat(answerTo(answers, 2).at("/result/content/0/text").asText()).isEqualTo("{\"ids\":[\"é\"],\"uppercase\":false}");
    }

    @Test
    void should_answer_a_parse_error_and_carry_on_when_a_line_is_malformed() throws Exception {
        List<JsonNode> answers = serve("{oops", "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}");

        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(answers.get(1).get("id").asInt()).isEqualTo(4);
    }

    @Test
    void should_write_nothing_when_only_notifications_arrive() throws Exception {
        assertThat(serve("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")).isEmpty();
    }

    private List<JsonNode> serve(String... lines) throws Exception {
        byte[] input = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        new McpStdio(server, new ByteArrayInputStream(input), new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        String text = output.toString(StandardCharsets.UTF_8);
        assertThat(text.isEmpty() || text.endsWith("\n")).as("every answer ends its line: %s", text).isTrue();
        List<JsonNode> answers = new ArrayList<>();
        for (String line : text.lines().toList()) {
            answers.add(JSON.readTree(line));
        }
        return answers;
    }

    private static JsonNode answerTo(List<JsonNode> answers, int id) {
        return answers.stream().filter(answer -> answer.get("id").asInt() == id).findFirst().orElseThrow();
    }
}
