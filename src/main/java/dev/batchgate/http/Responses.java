package dev.batchgate.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.json.Json;
import dev.batchgate.security.SecretMasker;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON answers and JSON errors ({@code {"error": "...", "details": [...]}}): never a stack trace, never a configured secret. */
public final class Responses {

    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        json(ctx.response(), status, body);
    }

    private static void json(HttpServerResponse response, int status, Object body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(SecretMasker.mask(body instanceof String s ? s : Json.write(body)));
    }

    public static void error(RoutingContext ctx, int status, String message) {
        error(ctx, status, message, List.of());
    }

    /** An error for a request no router saw (one the HTTP decoder could not read). */
    public static void error(HttpServerResponse response, int status, String message) {
        json(response, status, Json.object().put("error", message));
    }

    public static void error(RoutingContext ctx, int status, String message, List<BadRequestException.FieldError> details) {
        ObjectNode body = Json.object();
        body.put("error", message);
        if (!details.isEmpty()) {
            ArrayNode list = body.putArray("details");
            for (BadRequestException.FieldError d : details) {
                ObjectNode n = list.addObject();
                n.put("field", d.field());
                if (d.index() != null) {
                    n.put("index", d.index());
                }
                n.put("message", d.message());
            }
        }
        json(ctx, status, body);
    }

    /** The one place a refused request's kind becomes an HTTP status. */
    static int status(BadRequestException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNAVAILABLE -> 503;
        };
    }

    /** Maps any failure to a JSON error; unexpected ones are logged and answered 503/500 without internals. */
    public static void failure(RoutingContext ctx, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof BadRequestException bad) {
            error(ctx, status(bad.kind()), bad.getMessage(), bad.details());
        } else if (cause instanceof dev.batchgate.store.StoreException) {
            LOG.error("job store failure on {} {}: {}", ctx.request().method(), ctx.request().path(), cause.getMessage());
            error(ctx, 503, "the job store is not available; try again shortly");
        } else {
            LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), cause);
            error(ctx, 500, "internal error (logged on the server)");
        }
    }
}
