package dev.batchgate.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client that sends its request body slower than {@code batchgate.request-read-timeout} allows (a
 * slow-drip client) gets a 408 and its connection closed. Bodies are read without a thread (Vert.x),
 * so such a client never ties one up; this bounds the connection and the buffered bytes too.
 * Long answers (sync batches, SSE) are not affected: the timer stops once the request is read.
 */
public final class BodyReadTimeout {

    private static final Logger LOG = LoggerFactory.getLogger(BodyReadTimeout.class);

    private BodyReadTimeout() {
    }

    public static void mountFirst(Router router, Vertx vertx, Duration timeout) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            if (!request.isEnded()) {
                long timer = vertx.setTimer(timeout.toMillis(), id -> tooSlow(ctx, timeout));
                request.end().onComplete(done -> vertx.cancelTimer(timer));
            }
            ctx.next();
        });
    }

    private static void tooSlow(RoutingContext ctx, Duration timeout) {
        if (ctx.request().isEnded()) {
            return;
        }
        LOG.info("{} {} from {}: request body not received within {} ms, closing the connection", ctx.request().method(),
                ctx.normalizedPath(), ctx.request().remoteAddress(), timeout.toMillis());
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader("Connection", "close");
            Responses.error(ctx, 408, "the request body did not arrive within " + timeout.toMillis()
                    + " ms (batchgate.request-read-timeout)");
        }
        ctx.request().connection().close();
    }
}
