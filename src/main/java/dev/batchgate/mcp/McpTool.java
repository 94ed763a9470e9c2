package dev.batchgate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A tool served over MCP. {@link McpServer} checks the arguments against {@link #inputSchema()}
 * and fills in its defaults before {@link #call(JsonNode)}, so a tool can trust what it gets.
 */
public interface McpTool {

    /** The name clients call the tool by, e.g. {@code batch_restart_applications}. */
    String name();

    String description();

    /** A JSON Schema of {@code type: object}; see {@link ToolArguments} for the keywords that are enforced. */
    ObjectNode inputSchema();

    /**
     * Runs the tool. Must not block the calling thread: it may be a Vert.x event loop.
     * A future that fails becomes an {@code isError} result naming the tool.
     */
    CompletableFuture<ToolResult> call(JsonNode arguments);

    /** What a call answers: sent as {@code content: [{type: "text", text}]} with {@code isError}. */
    record ToolResult(String text, boolean isError) {

        public ToolResult {
            Objects.requireNonNull(text, "text");
        }

        public static ToolResult success(String text) {
            return new ToolResult(text, false);
        }

        public static ToolResult error(String text) {
            return new ToolResult(text, true);
        }
    }
}
