package dev.batchgate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * MCP Streamable HTTP at {@code /mcp}, answering with plain JSON (never an SSE stream):
 * <ul>
 *   <li>POST with requests: 200 and {@code application/json}, also for JSON-RPC errors (-32700 on malformed JSON);
 *   <li>POST with only notifications or responses: 202 and no body;
 *   <li>GET: 405, as this server offers no server-to-client stream; DELETE: 405, as it issues no sessions;
 *   <li>an {@code MCP-Protocol-Version} header naming a version not supported: 400;
 *   <li>a body that is not UTF-8: 400 with a -32700 parse error;
 * </ul>
 * A request from a page of another origin is refused with 403 ahead of this handler, by the guard every
 * unsafe call passes ({@link dev.batchgate.security.CrossSiteGuard}).
 * No {@code Mcp-Session-Id} is issued: {@link McpServer} keeps no per-client state, and the SDK client
 * works without one. Tool calls never block the event loop: the response is written when the call's
 * future completes, on the event loop that received the request.
 */
public final class McpHttpHandler implements Handler<RoutingContext> {

    public static final String PATH = "/mcp";

    // Large enough for any batch of ids or env vars; a bigger body is answered 413 by the BodyHandler.
    private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
    private static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";
    private static final String JSON = "application/json";

    private final McpServer server;

    private McpHttpHandler(McpServer server) {
        this.server = server;
    }

    /** Serves {@code server} at {@link #PATH} on {@code router}: POST for messages, 405 for every other method. */
    public static void mount(Router router, McpServer server) {
        McpHttpHandler handler = new McpHttpHandler(server);
        router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(handler);
        router.route(PATH).handler(handler);
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (context.request().method() != HttpMethod.POST) {
            response.setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST").end();
            return;
        }
        String protocolVersion = context.request().getHeader(PROTOCOL_VERSION_HEADER);
        if (protocolVersion != null && !McpServer.SUPPORTED_PROTOCOL_VERSIONS.contains(protocolVersion)) {
            sendError(response, 400, JsonRpc.INVALID_REQUEST, "Bad request: unsupported " + PROTOCOL_VERSION_HEADER
                    + " " + protocolVersion + ", supported: " + String.join(", ", McpServer.SUPPORTED_PROTOCOL_VERSIONS));
            return;
        }
        String body;
        try {
            body = utf8(context.body().buffer());
        } catch (CharacterCodingException e) {
            sendError(response, 400, JsonRpc.PARSE_ERROR, "Parse error: the body is not valid UTF-8");
            return;
        }
        Optional<CompletableFuture<JsonNode>> answer = server.handle(body);
        if (answer.isEmpty()) {
            response.setStatusCode(202).end();
            return;
        }
        Context eventLoop = context.vertx().getOrCreateContext();
        answer.get().whenComplete((message, failure) -> eventLoop.runOnContext(ignored -> {
            if (response.closed() || response.ended()) {
                return;
            }
            if (failure != null) {
                sendError(response, 500, JsonRpc.INTERNAL_ERROR, "Internal error: " + failure.getMessage());
            } else {
                send(response, 200, message);
            }
        }));
    }

    /** Strictly decoded: a lenient decoder would turn bad bytes (an overlong '/') into text that parses. */
    private static String utf8(Buffer body) throws CharacterCodingException {
        // an empty body has no buffer at all; it is answered as malformed JSON like any other
        if (body == null) {
            return "";
        }
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body.getBytes())).toString();
    }

    private static void sendError(HttpServerResponse response, int status, int code, String message) {
        send(response, status, JsonRpc.error(NullNode.instance, code, message));
    }

    private static void send(HttpServerResponse response, int status, JsonNode message) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(Buffer.buffer(JsonRpc.toBytes(message)));
    }
}
