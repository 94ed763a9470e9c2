package dev.batchgate.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.mcp.McpTool.ToolResult;
import dev.batchgate.mcp.ToolArguments.InvalidArgumentsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP protocol, independent of any transport: takes one JSON-RPC message (or a batch) and
 * answers it. Serves {@code initialize}, {@code ping}, {@code tools/list} and {@code tools/call};
 * notifications and responses get no answer. It keeps no per-client state, so one instance serves
 * every HTTP client and the stdio stream alike.
 *
 * <p>JSON-RPC batches are accepted whatever version was negotiated: 2025-03-26 obliges a server to
 * receive them, 2025-06-18 clients never send them. {@code initialize} inside a batch is refused.
 */
public final class McpServer {

    /** Newest first; the first one is answered to a client asking for a version not listed. */
    public static final List<String> SUPPORTED_PROTOCOL_VERSIONS = List.of("2025-06-18", "2025-03-26", "2024-11-05");

    public static final String SERVER_NAME = "batchgate";

    private static final Logger LOG = LoggerFactory.getLogger(McpServer.class);

    private final String serverVersion;
    private final Map<String, McpTool> toolsByName = new LinkedHashMap<>();
    private final ArrayNode toolDescriptions = JsonNodeFactory.instance.arrayNode();

    /**
     * @param serverVersion reported as {@code serverInfo.version}
     * @param tools listed in this order; names must be unique and schemas of {@code type: object}
     */
    public McpServer(String serverVersion, List<? extends McpTool> tools) {
        this.serverVersion = serverVersion;
        for (McpTool tool : tools) {
            if (!"object".equals(tool.inputSchema().path("type").asText())) {
                throw new IllegalArgumentException("Tool " + tool.name() + ": input schema must be of type object");
            }
            if (toolsByName.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalArgumentException("Two tools are named " + tool.name());
            }
            toolDescriptions.addObject()
                    .put("name", tool.name())
                    .put("description", tool.description())
                    .set("inputSchema", tool.inputSchema());
        }
    }

    /**
     * Parses one raw message and answers it; malformed JSON is answered with a -32700 error.
     *
     * @see #handle(JsonNode)
     */
    public Optional<CompletableFuture<JsonNode>> handle(String rawMessage) {
        JsonNode message;
        try {
            message = JsonRpc.MAPPER.readTree(rawMessage);
        } catch (JsonProcessingException e) {
            return answerNow(JsonRpc.error(NullNode.instance, JsonRpc.PARSE_ERROR, "Parse error: " + e.getOriginalMessage()));
        }
        if (message == null || message.isMissingNode()) {
            return answerNow(JsonRpc.error(NullNode.instance, JsonRpc.PARSE_ERROR, "Parse error: empty message"));
        }
        return handle(message);
    }

    /**
     * Answers one JSON-RPC message or batch. Empty when no answer is due (notifications, responses,
     * batches of those), which is known at once so a transport can acknowledge without waiting.
     * The future never fails: every problem is answered as a JSON-RPC error or an {@code isError}
     * tool result. It completes on whatever thread the tool completes on.
     */
    public Optional<CompletableFuture<JsonNode>> handle(JsonNode message) {
        if (message.isArray()) {
            return handleBatch(message);
        }
        return handleMessage(message, false).map(answer -> answer.thenApply(JsonNode.class::cast));
    }

    private Optional<CompletableFuture<JsonNode>> handleBatch(JsonNode batch) {
        if (batch.isEmpty()) {
            return answerNow(JsonRpc.error(NullNode.instance, JsonRpc.INVALID_REQUEST, "Invalid request: empty batch"));
        }
        List<CompletableFuture<ObjectNode>> answers = new ArrayList<>();
        for (JsonNode message : batch) {
            handleMessage(message, true).ifPresent(answers::add);
        }
        if (answers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ArrayNode responses = JsonNodeFactory.instance.arrayNode(answers.size());
            answers.forEach(answer -> responses.add(answer.join()));
            return responses;
        }));
    }

    private Optional<CompletableFuture<ObjectNode>> handleMessage(JsonNode message, boolean inBatch) {
        if (!message.isObject()) {
            return answerNow(JsonRpc.error(NullNode.instance, JsonRpc.INVALID_REQUEST, "Invalid request: a message must be a JSON object"));
        }
        JsonNode id = message.get("id");
        boolean isRequest = message.has("id");
        if (isRequest && !(id.isTextual() || id.isNumber())) {
            return answerNow(JsonRpc.error(NullNode.instance, JsonRpc.INVALID_REQUEST, "Invalid request: id must be a string or a number"));
        }
        JsonNode replyId = isRequest ? id : NullNode.instance;
        if (!"2.0".equals(message.path("jsonrpc").textValue())) {
            return answerNow(JsonRpc.error(replyId, JsonRpc.INVALID_REQUEST, "Invalid request: jsonrpc must be \"2.0\""));
        }
        if (!message.has("method")) {
            if (isRequest && (message.has("result") || message.has("error"))) {
                // A response to a request of ours; this server sends none, so there is nothing to match.
                return Optional.empty();
            }
            return answerNow(JsonRpc.error(replyId, JsonRpc.INVALID_REQUEST, "Invalid request: method is missing"));
        }
        if (!message.get("method").isTextual()) {
            return answerNow(JsonRpc.error(replyId, JsonRpc.INVALID_REQUEST, "Invalid request: method must be a string"));
        }
        String method = message.get("method").textValue();
        if (!isRequest) {
            LOG.debug("MCP notification {}", method);
            return Optional.empty();
        }
        JsonNode params = message.path("params");
        if (!params.isMissingNode() && !params.isObject()) {
            return answerNow(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid params: params must be an object"));
        }
        if (inBatch && "initialize".equals(method)) {
            return answerNow(JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "Invalid request: initialize must not be part of a batch"));
        }
        try {
            return Optional.of(dispatch(id, method, params).exceptionally(failure -> internalError(id, method, failure)));
        } catch (RuntimeException failure) {
            return answerNow(internalError(id, method, failure));
        }
    }

    private CompletableFuture<ObjectNode> dispatch(JsonNode id, String method, JsonNode params) {
        return switch (method) {
            case "initialize" -> CompletableFuture.completedFuture(initialize(id, params));
            case "ping" -> CompletableFuture.completedFuture(JsonRpc.result(id, JsonNodeFactory.instance.objectNode()));
            case "tools/list" -> CompletableFuture.completedFuture(
                    JsonRpc.result(id, JsonNodeFactory.instance.objectNode().set("tools", toolDescriptions)));
            case "tools/call" -> callTool(id, params);
            default -> CompletableFuture.completedFuture(
                    JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method));
        };
    }

    private ObjectNode initialize(JsonNode id, JsonNode params) {
        JsonNode requested = params.path("protocolVersion");
        if (!requested.isTextual()) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid params: initialize needs params.protocolVersion");
        }
        String protocolVersion = SUPPORTED_PROTOCOL_VERSIONS.contains(requested.textValue())
                ? requested.textValue()
                : SUPPORTED_PROTOCOL_VERSIONS.get(0);
        LOG.info("MCP client {} {} asked for protocol {}, answered {}",
                params.path("clientInfo").path("name").asText("?"), params.path("clientInfo").path("version").asText("?"),
                requested.textValue(), protocolVersion);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("protocolVersion", protocolVersion);
        result.putObject("capabilities").putObject("tools");
        result.putObject("serverInfo").put("name", SERVER_NAME).put("version", serverVersion);
        return JsonRpc.result(id, result);
    }

    private CompletableFuture<ObjectNode> callTool(JsonNode id, JsonNode params) {
        JsonNode name = params.path("name");
        if (!name.isTextual()) {
            return CompletableFuture.completedFuture(
                    JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid params: tools/call needs params.name"));
        }
        McpTool tool = toolsByName.get(name.textValue());
        if (tool == null) {
            return CompletableFuture.completedFuture(
                    JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown tool: " + name.textValue()));
        }
        ObjectNode arguments;
        try {
            arguments = ToolArguments.validate(tool.inputSchema(), params.get("arguments"));
        } catch (InvalidArgumentsException invalid) {
            return CompletableFuture.completedFuture(JsonRpc.result(id, toolResult(ToolResult.error(invalid.getMessage()))));
        }
        CompletableFuture<ToolResult> call;
        try {
            call = tool.call(arguments);
        } catch (RuntimeException failure) {
            call = CompletableFuture.failedFuture(failure);
        }
        return call.handle((result, failure) -> JsonRpc.result(id, toolResult(failure == null ? result : failed(tool, failure))));
    }

    private static ToolResult failed(McpTool tool, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LOG.warn("MCP tool {} failed", tool.name(), cause);
        return ToolResult.error(tool.name() + " failed: " + Objects.requireNonNullElse(cause.getMessage(), cause.toString()));
    }

    private static ObjectNode toolResult(ToolResult result) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.putArray("content").addObject().put("type", "text").put("text", result.text());
        content.put("isError", result.isError());
        return content;
    }

    private static ObjectNode internalError(JsonNode id, String method, Throwable failure) {
        LOG.error("MCP {} failed", method, failure);
        return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "Internal error: " + failure.getMessage());
    }

    private static <T extends JsonNode> Optional<CompletableFuture<T>> answerNow(T answer) {
        return Optional.of(CompletableFuture.completedFuture(answer));
    }
}
