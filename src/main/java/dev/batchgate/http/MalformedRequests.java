package dev.batchgate.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;

/**
 * A request the HTTP decoder cannot read (a request line or headers over the server's limits, a
 * broken request line, header or Content-Length) never reaches a router: the server's
 * invalid-request handler answers it, and Vert.x's default one answers with an empty body. This one
 * answers with a JSON error like every other, then closes the connection as the default does (the
 * decoder has given up on it).
 */
public final class MalformedRequests {

    private MalformedRequests() {
    }

    /**
     * The Vert.x to give Camel's platform-http server: that server creates its HttpServer and starts
     * listening in one step, and a server takes its invalid-request handler when it starts
     * listening, so the handler is set as each server is created.
     */
    public static Vertx answeredInJson(Vertx vertx) {
        return new VertxWrapper((VertxInternal) vertx) {
            @Override
            public HttpServer createHttpServer(HttpServerOptions options) {
                return super.createHttpServer(options).invalidRequestHandler(request -> answer(request, options));
            }
        };
    }

    static void answer(HttpServerRequest request, HttpServerOptions limits) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            Responses.error(request.response(), 414, "the request line (method, URL, version) is longer than "
                    + limits.getMaxInitialLineLength() + " bytes");
        } else if (cause instanceof TooLongHttpHeaderException) {
            Responses.error(request.response(), 431, "the request headers are larger than " + limits.getMaxHeaderSize() + " bytes");
        } else {
            // the decoder's own message can quote header bytes (a key, say): not repeated to anyone
            Responses.error(request.response(), 400, "the request is not valid HTTP/1.1: a malformed request line, header "
                    + "or Content-Length");
        }
        request.response().close();
    }
}
