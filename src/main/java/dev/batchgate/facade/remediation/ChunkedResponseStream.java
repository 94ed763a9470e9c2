package dev.batchgate.facade.remediation;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * Writes a chunked response from a worker thread in 32 KiB pieces, waiting while the client reads slower
 * than we write, so a large document never sits whole in memory.
 */
final class ChunkedResponseStream extends OutputStream {

    private static final int CHUNK = 32 * 1024;
    private static final long DRAIN_TIMEOUT_SECONDS = 60;

    private final HttpServerResponse response;
    private Buffer pending = Buffer.buffer(CHUNK);

    ChunkedResponseStream(HttpServerResponse response) {
        this.response = response.setChunked(true);
    }

    @Override
    public void write(int b) throws IOException {
        pending.appendByte((byte) b);
        if (pending.length() >= CHUNK) {
            flush();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        pending.appendBytes(bytes, offset, length);
        if (pending.length() >= CHUNK) {
            flush();
        }
    }

    @Override
    public void flush() throws IOException {
        if (pending.length() == 0) {
            return;
        }
        if (response.closed()) {
            throw new IOException("the client closed the connection");
        }
        response.write(pending);
        pending = Buffer.buffer(CHUNK);
        if (response.writeQueueFull()) {
            Promise<Void> drained = Promise.promise();
            response.drainHandler(v -> drained.tryComplete());
            response.closeHandler(v -> drained.tryComplete());
            try {
                drained.future().toCompletionStage().toCompletableFuture().get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the client was reading", e);
            } catch (Exception e) {
                throw new IOException("the client stopped reading", e);
            }
        }
    }

    /** Sends what is left and ends the response; until then a failure can still reset it. */
    void end() throws IOException {
        flush();
        response.end();
    }
}
