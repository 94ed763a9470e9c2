package dev.batchgate.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chunked response body written page by page: each page is read on a worker thread and written on the
 * event loop, and the next page is read while the client takes this one, but written only once the write
 * queue has drained. A slow reader so holds no thread and at most two pages of memory. A failure after
 * the head was sent resets the connection: the last chunk is sent only when every page was written, so a
 * client never mistakes a cut-off body for a complete one.
 */
public final class PagedBody {

    private static final Logger LOG = LoggerFactory.getLogger(PagedBody.class);

    /** The body's pages in order, read on a worker thread one call at a time; {@code null} after the last. */
    @FunctionalInterface
    public interface Pages {
        Buffer next() throws Exception;
    }

    private final Vertx vertx;
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final String contentType;
    private final Pages pages;
    private Promise<Void> drained;

    private PagedBody(Vertx vertx, RoutingContext ctx, String contentType, Pages pages) {
        this.vertx = vertx;
        this.ctx = ctx;
        this.response = ctx.response();
        this.contentType = contentType;
        this.pages = pages;
    }

    /**
     * Streams {@code pages} as a 200 of {@code contentType}. A failure before the first page is answered
     * as a JSON error (an unknown batch is a 404), a later one resets the connection.
     */
    public static void stream(Vertx vertx, RoutingContext ctx, String contentType, Pages pages) {
        new PagedBody(vertx, ctx, contentType, pages).start();
    }

    private void start() {
        response.closeHandler(v -> {
            if (drained != null) {
                drained.tryFail(new HttpClosedException("the client closed the connection"));
            }
        });
        read().onComplete(first -> {
            if (first.failed()) {
                fail(first.cause());
                return;
            }
            response.setStatusCode(200).setChunked(true).putHeader("Content-Type", contentType);
            write(first.result());
        });
    }

    private Future<Buffer> read() {
        return vertx.executeBlocking(pages::next, false);
    }

    /** On the event loop: writes one page, then the next once it is read and the client has taken this one. */
    private void write(Buffer page) {
        if (response.closed()) {
            return;
        }
        if (page == null) {
            response.end();
            return;
        }
        response.write(page);
        Future<Buffer> next = read();
        Future<Void> room = Future.succeededFuture();
        if (response.writeQueueFull()) {
            drained = Promise.promise();
            response.drainHandler(v -> drained.tryComplete());
            room = drained.future();
        }
        Future.all(next, room).onComplete(both -> {
            if (both.succeeded()) {
                write(next.result());
            } else {
                fail(both.cause());
            }
        });
    }

    private void fail(Throwable e) {
        if (!response.headWritten()) {
            Responses.failure(ctx, e);
            return;
        }
        if (!(e instanceof HttpClosedException)) {
            LOG.warn("{} {} stopped after {} bytes and was reset: {}", ctx.request().method(), ctx.request().path(),
                    response.bytesWritten(), e.getMessage());
        }
        response.reset();
    }
}
