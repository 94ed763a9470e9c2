package dev.batchgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw-socket HTTP/1.1 client that reads a chunked response the way a slow client does: a small receive
 * window, small reads, a pause after every {@code pauseEvery} bytes. It tells a body that ended with the
 * last chunk from one that was cut off, which an ordinary client may not. Every read has a 60-second
 * timeout, so a reader always stops by itself.
 */
public final class SlowReader {

    private final int port;
    private int piece = 1024;
    private int pauseEvery = 256 * 1024;
    private Duration pause = Duration.ofMillis(20);
    private long stopAfter = Long.MAX_VALUE;
    private long holdAt = Long.MAX_VALUE;
    private CountDownLatch hold;
    private final CountDownLatch holding = new CountDownLatch(1);

    /** The answer as read: the head, the body's bytes (chunk framing removed), and whether the last chunk came. */
    public record Result(String head, byte[] body, boolean complete, String failure) {
        public int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public SlowReader(int port) {
        this.port = port;
    }

    /** Reads {@code piece} bytes at a time and pauses {@code pause} after every {@code every} bytes. */
    public SlowReader pacing(int piece, int every, Duration pause) {
        this.piece = piece;
        this.pauseEvery = every;
        this.pause = pause;
        return this;
    }

    /** Closes the connection after {@code bytes} of body, as a client that gives up does. */
    public SlowReader stopAfter(long bytes) {
        this.stopAfter = bytes;
        return this;
    }

    /** Stops reading after {@code bytes} of body until {@code release} is counted down (see {@link #awaitHolding}). */
    public SlowReader holdAt(long bytes, CountDownLatch release) {
        this.holdAt = bytes;
        this.hold = release;
        return this;
    }

    /** Returns once the reader has stopped at its {@link #holdAt} mark. */
    public boolean awaitHolding(Duration timeout) throws InterruptedException {
        return holding.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Result get(String path, String accept) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8 * 1024);
            socket.setSoTimeout(60_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Paced in = new Paced(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            String line;
            while (!(line = in.line()).isEmpty()) {
                head.append(line).append('\n');
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (!head.toString().toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                return new Result(head.toString(), body.toByteArray(), false, "not chunked");
            }
            try {
                while (true) {
                    int size = Integer.parseInt(in.line().trim(), 16);
                    if (size == 0) {
                        return new Result(head.toString(), body.toByteArray(), in.line().isEmpty(), null);
                    }
                    for (int i = 0; i < size; i++) {
                        body.write(in.readByte());
                        if (body.size() >= stopAfter) {
                            return new Result(head.toString(), body.toByteArray(), false, "stopped reading");
                        }
                        if (body.size() == holdAt) {
                            holding.countDown();
                            if (!hold.await(60, TimeUnit.SECONDS)) {
                                return new Result(head.toString(), body.toByteArray(), false, "held too long");
                            }
                        }
                    }
                    if (!in.line().isEmpty()) {
                        return new Result(head.toString(), body.toByteArray(), false, "bad chunk framing");
                    }
                }
            } catch (IOException e) {
                return new Result(head.toString(), body.toByteArray(), false, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(head.toString(), body.toByteArray(), false, "interrupted");
            }
        }
    }

    /** The socket read in small pieces, with a pause after every {@code pauseEvery} bytes. */
    private final class Paced {
        private final InputStream in;
        private final byte[] buffer = new byte[piece];
        private int position;
        private int length;
        private long read;
        private long nextPause = pauseEvery;

        Paced(InputStream in) {
            this.in = in;
        }

        int readByte() throws IOException {
            if (position == length) {
                if (read >= nextPause) {
                    nextPause += pauseEvery;
                    rest();
                }
                length = in.read(buffer, 0, buffer.length);
                position = 0;
                if (length < 0) {
                    throw new IOException("the connection ended before the last chunk");
                }
                read += length;
            }
            return buffer[position++] & 0xff;
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = readByte()) != '\n') {
                line.append((char) c);
            }
            return line.toString().replace("\r", "");
        }

        private void rest() throws IOException {
            try {
                Thread.sleep(pause.toMillis()); // a slow client, as StubServer's delayed replies are a slow server
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
