package dev.batchgate.mcp;

import dev.batchgate.security.CrossSiteGuard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Vert.x HTTP server on a free 127.0.0.1 port with {@link McpHttpHandler} mounted behind the cross-site guard. */
final class McpTestHttpServer implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer httpServer;

    private McpTestHttpServer(Vertx vertx, HttpServer httpServer) {
        this.vertx = vertx;
        this.httpServer = httpServer;
    }

    static McpTestHttpServer start(McpTool... tools) throws Exception {
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        // as on batchgate's server: the guard every unsafe call passes refuses pages of other origins
        CrossSiteGuard.parse("").mountFirst(router);
        McpHttpHandler.mount(router, new McpServer("test", List.of(tools)));
        HttpServer httpServer = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new McpTestHttpServer(vertx, httpServer);
    }

    URI mcpUri() {
        return URI.create("http://127.0.0.1:" + httpServer.actualPort() + McpHttpHandler.PATH);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
