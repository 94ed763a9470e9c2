package dev.batchgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A downstream that misbehaves at the TCP level, on a free 127.0.0.1 port: it resets the connection,
 * answers bytes that are not HTTP, answers a 1 GiB body, or never answers.
 */
public final class HostileServer implements AutoCloseable {

    public enum Behaviour { RESET, GARBAGE, HUGE_BODY, SILENT }

    public static final long HUGE = 1L << 30;

    private final Behaviour behaviour;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public HostileServer(Behaviour behaviour) {
        this.behaviour = behaviour;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        threads.submit(this::acceptLoop);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Bytes of body written before the client went away (HUGE_BODY). */
    public long bytesSent() {
        return bytesSent.get();
    }

    public long requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try {
            readRequestHead(socket.getInputStream());
            requests.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            switch (behaviour) {
                case RESET -> {
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
                case GARBAGE -> {
                    out.write("\u0000\u00ffSSH-2.0-not-http\r\n\r\n{{{{".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    socket.close();
                }
                case HUGE_BODY -> {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + HUGE + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] block = new byte[64 * 1024];
                    java.util.Arrays.fill(block, (byte) 'x');
                    while (bytesSent.get() < HUGE) {
                        out.write(block);
                        bytesSent.addAndGet(block.length);
                    }
                }
                case SILENT -> {
                    // hold the connection open and say nothing, until the client gives up or the test ends
                    socket.getInputStream().read();
                }
            }
        } catch (IOException e) {
            // the client cut the connection: expected for HUGE_BODY and SILENT
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        threads.shutdownNow();
    }
}
