package dev.batchgate.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** A tool shaped like the Coolify batch tools: a required list of ids and a flag with a default. */
final class EchoItemsTool implements McpTool {

    static final String NAME = "echo_items";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "ids": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1,
                        "description": "Ids to echo"},
                "uppercase": {"type": "boolean", "default": false, "description": "Upper-case the ids"}
              },
              "required": ["ids"]
            }
            """;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Echoes the ids it is given, upper-cased on request";
    }

    @Override
    public ObjectNode inputSchema() {
        try {
            return (ObjectNode) JSON.readTree(INPUT_SCHEMA);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CompletableFuture<ToolResult> call(JsonNode arguments) {
        // Answers from another thread, as the real tools do.
        return CompletableFuture.supplyAsync(() -> {
            boolean uppercase = arguments.get("uppercase").booleanValue();
            ObjectNode echo = JSON.createObjectNode();
            ArrayNode ids = echo.putArray("ids");
            arguments.get("ids").forEach(id -> ids.add(uppercase ? id.textValue().toUpperCase(Locale.ROOT) : id.textValue()));
            echo.put("uppercase", uppercase);
            return ToolResult.success(echo.toString());
        });
    }
}
