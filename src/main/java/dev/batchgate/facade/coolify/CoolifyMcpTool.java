package dev.batchgate.facade.coolify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.json.Json;
import dev.batchgate.mcp.McpTool;
import dev.batchgate.store.StoreException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One Coolify tool served over MCP: its document as the text result; a refused request (unknown
 * batch, duplicate uuid…) as an {@code isError} result with the reason, so the model can correct it.
 */
record CoolifyMcpTool(CoolifyTools.ToolDefinition definition, CoolifyTools tools) implements McpTool {

    static final String TRIGGER = "mcp";

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public String description() {
        return definition.description();
    }

    @Override
    public ObjectNode inputSchema() {
        return definition.inputSchema();
    }

    @Override
    public CompletableFuture<ToolResult> call(JsonNode arguments) {
        return tools.call(name(), (ObjectNode) arguments, TRIGGER).handle((document, failure) -> {
            if (failure == null) {
                return ToolResult.success(pretty(document));
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof BadRequestException refused) {
                return ToolResult.error(refused.getMessage());
            }
            if (cause instanceof StoreException) {
                return ToolResult.error("the job store is not available; try again shortly");
            }
            throw new CompletionException(cause);
        });
    }

    private static String pretty(JsonNode document) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
