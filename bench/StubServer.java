import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stub downstream for the benchmark: answers every request with {"ok":true} after latencyMs,
 * using a timer so the event loop never blocks. One verticle per core.
 *
 * Usage: java -cp <vertx-core classpath> bench/StubServer.java <port> <latencyMs> [recordFile]
 *
 * Control endpoints (not counted):
 *   GET  /__stats  -> {"requests":n,"inFlight":n,"maxInFlight":n,"byPrefix":{"/items":n}}
 *   POST /__reset  -> zero the counters (and drop recorded timestamps)
 *   POST /__flush  -> write recorded timestamps to recordFile ("<epochMs> <prefix>" per line, sorted)
 */
public class StubServer {

    static final Buffer BODY = Buffer.buffer("{\"ok\":true}");
    static final String BODY_LENGTH = String.valueOf(BODY.length());

    static final LongAdder requests = new LongAdder();
    static final AtomicInteger inFlight = new AtomicInteger();
    static final AtomicInteger maxInFlight = new AtomicInteger();
    static final Map<String, LongAdder> byPrefix = new ConcurrentHashMap<>();
    // Only filled when a record file is given: request start times for the rate-window check.
    static final ConcurrentLinkedQueue<String> recorded = new ConcurrentLinkedQueue<>();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: StubServer <port> <latencyMs> [recordFile]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long latencyMs = Long.parseLong(args[1]);
        Path recordFile = args.length > 2 && !args[2].isBlank() ? Path.of(args[2]) : null;
        int instances = Runtime.getRuntime().availableProcessors();

        // epoll where batchgate's jar brings it: its timers fire within microseconds of the latency asked
        // for, the JDK selector's up to a millisecond later (50.7 instead of 51.4 ms on average at C=100)
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances).setPreferNativeTransport(true));
        CountDownLatch started = new CountDownLatch(1);
        vertx.deployVerticle(() -> new StubVerticle(port, latencyMs, recordFile),
                new DeploymentOptions().setInstances(instances))
            .onSuccess(id -> started.countDown())
            .onFailure(e -> {
                System.err.println("stub failed to start: " + e);
                System.exit(1);
            });
        if (!started.await(30, TimeUnit.SECONDS)) {
            System.err.println("stub did not start within 30 s");
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Said out loud: on a shared machine a stub stopped from outside is otherwise a mystery.
            System.err.println("stub on port " + port + " stopping after " + requests.sum() + " requests");
            if (recordFile != null) {
                writeRecords(recordFile);
            }
            vertx.close();
        }));
        System.out.println("stub listening on 127.0.0.1:" + port + " latencyMs=" + latencyMs
            + " instances=" + instances + " transport=" + (vertx.isNativeTransportEnabled() ? "epoll" : "nio") + (recordFile != null ? " record=" + recordFile : ""));
    }

    static synchronized void writeRecords(Path file) {
        try {
            String lines = recorded.stream()
                .sorted()
                .reduce(new StringBuilder(), (sb, l) -> sb.append(l).append('\n'), StringBuilder::append)
                .toString();
            Files.writeString(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not write " + file + ": " + e);
        }
    }

    static String prefixOf(String path) {
        int next = path.indexOf('/', 1);
        return next < 0 ? path : path.substring(0, next);
    }

    static String statsJson() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"requests\":").append(requests.sum())
            .append(",\"inFlight\":").append(inFlight.get())
            .append(",\"maxInFlight\":").append(maxInFlight.get())
            .append(",\"recorded\":").append(recorded.size())
            .append(",\"byPrefix\":{");
        String sep = "";
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(byPrefix).entrySet()) {
            sb.append(sep).append('"').append(e.getKey().replace("\"", "")).append("\":").append(e.getValue().sum());
            sep = ",";
        }
        return sb.append("}}").toString();
    }

    static final class StubVerticle extends AbstractVerticle {
        private final int port;
        private final long latencyMs;
        private final Path recordFile;

        StubVerticle(int port, long latencyMs, Path recordFile) {
            this.port = port;
            this.latencyMs = latencyMs;
            this.recordFile = recordFile;
        }

        @Override
        public void start(Promise<Void> startPromise) {
            HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setAcceptBacklog(4096)
                .setTcpNoDelay(true)
                // HTTP/1.1 only, so every client is measured on the same protocol as wrk.
                .setHttp2ClearTextEnabled(false);
            vertx.createHttpServer(options)
                .requestHandler(this::handle)
                .listen()
                .<Void>mapEmpty()
                .onComplete(startPromise);
        }

        private void handle(HttpServerRequest req) {
            String path = req.path();
            if (path.startsWith("/__")) {
                control(req, path);
                return;
            }
            long startMs = System.currentTimeMillis();
            String prefix = prefixOf(path);
            requests.increment();
            byPrefix.computeIfAbsent(prefix, p -> new LongAdder()).increment();
            if (recordFile != null) {
                recorded.add(startMs + " " + prefix);
            }
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            // Drain the request body before answering, as a real server would.
            req.end().onComplete(ended -> {
                if (latencyMs > 0) {
                    vertx.setTimer(latencyMs, t -> respond(req));
                } else {
                    respond(req);
                }
            });
        }

        private void respond(HttpServerRequest req) {
            inFlight.decrementAndGet();
            req.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", BODY_LENGTH)
                .end(BODY);
        }

        private void control(HttpServerRequest req, String path) {
            switch (path) {
                case "/__stats" -> json(req, statsJson());
                case "/__reset" -> {
                    requests.reset();
                    byPrefix.clear();
                    recorded.clear();
                    maxInFlight.set(inFlight.get());
                    json(req, statsJson());
                }
                case "/__flush" -> {
                    if (recordFile == null) {
                        req.response().setStatusCode(409).end("{\"error\":\"no record file\"}");
                        return;
                    }
                    vertx.executeBlocking(() -> {
                        writeRecords(recordFile);
                        return null;
                    }).onComplete(done -> json(req, statsJson()));
                }
                default -> req.response().setStatusCode(404).end();
            }
        }

        private static void json(HttpServerRequest req, String body) {
            req.response().putHeader("Content-Type", "application/json").end(body);
        }
    }
}
