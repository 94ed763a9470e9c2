package dev.batchgate.http;

import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Shared plumbing for batchgate's routes on the server's Vert.x router: body limits and JSON errors. */
public final class HttpApi {

    private HttpApi() {
    }

    /**
     * Reads bodies up to {@code maxBody} bytes on the given path prefixes; a larger body is refused
     * with 413 while it streams in, never read whole into memory.
     */
    public static void limitBodies(Router router, long maxBody, String... prefixes) {
        for (String prefix : prefixes) {
            router.route(prefix).handler(BodyHandler.create(false).setBodyLimit(maxBody))
                    .failureHandler(HttpApi::failure);
        }
    }

    /**
     * A URL with a control character (an encoded NUL, say) names nothing batchgate has, and PostgreSQL
     * cannot even compare such text: 400 before any handler sees it.
     */
    public static void refuseControlCharactersInUrls(Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            if (hasControlCharacter(ctx.request().uri())) {
                Responses.error(ctx, 400, "the URL contains a control character");
            } else {
                ctx.next();
            }
        });
    }

    static boolean hasControlCharacter(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
            if (c == '%' && i + 2 < uri.length()) {
                int value = Character.digit(uri.charAt(i + 1), 16) * 16 + Character.digit(uri.charAt(i + 2), 16);
                if (value >= 0 && (value < 0x20 || value == 0x7f)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A path (or method) nothing serves gets a JSON 404 as well, not the server's HTML page. */
    public static void jsonNotFound(Router router) {
        router.route().last().handler(ctx -> Responses.error(ctx, 404, "nothing here: " + ctx.request().method() + " "
                + ctx.normalizedPath()));
    }

    /**
     * A request target that is no path (CONNECT host:port, OPTIONS *, a word) never reaches batchgate's
     * routes: the server's root router, which hands paths on to them, refuses it with a 404 of its own.
     */
    public static void jsonNotFoundAtTheRoot(Router root) {
        root.errorHandler(404, ctx -> Responses.error(ctx, 404, "nothing here: " + ctx.request().method() + " "
                + ctx.request().uri()));
    }

    /** Mounts a handler whose thrown or failed errors become JSON errors. */
    public static void on(Router router, HttpMethod method, String path, Handler<RoutingContext> handler) {
        router.route(method, path).handler(ctx -> {
            try {
                handler.handle(ctx);
            } catch (RuntimeException e) {
                Responses.failure(ctx, e);
            }
        }).failureHandler(HttpApi::failure);
    }

    static void failure(RoutingContext ctx) {
        if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
            return; // the client is gone (or was sent away, see BodyReadTimeout): nobody to answer
        }
        if (bodyUndecodable(ctx)) {
            // the client's error, not one of batchgate's to log; Vert.x 4.5 closes the connection before this is flushed
            Responses.error(ctx, 400, "the request body could not be read: malformed chunked transfer encoding");
        } else if (ctx.failure() != null) {
            Responses.failure(ctx, ctx.failure());
        } else if (ctx.statusCode() == 413) {
            Responses.error(ctx, 413, "the request body is larger than the limit (batchgate.max-body)");
        } else {
            Responses.error(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500, "request failed");
        }
    }

    /** Netty's decoder gave up on a chunk of a body still arriving: a chunk size that is no hex number, or a line too long. */
    private static boolean bodyUndecodable(RoutingContext ctx) {
        return !ctx.request().isEnded()
                && (ctx.failure() instanceof NumberFormatException || ctx.failure() instanceof TooLongFrameException);
    }
}
