package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.TcpProxy;
import dev.batchgate.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job store goes away while a batch runs: health and new batches are refused with 503 at once
 * instead of waiting for a connection, and the running batch goes on when the store is back. The app
 * reaches its store (PostgreSQL in that run, else an H2 server of the test's own) through a proxy the
 * test cuts, as a stopped database server or a failed network would.
 */
class StoreOutageTest {

    /** Well under the 30 s a connection pool waits by default: an answer must not wait for the store. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(15);
    private static final Pattern HOST_AND_PORT = Pattern.compile("^jdbc:postgresql://[^/:]+(:(\\d+))?/");

    @TempDir
    Path dir;

    private final StubServer stub = new StubServer();
    private final CountDownLatch release = new CountDownLatch(1);
    private TestDatabase database;
    private Server h2;
    private TcpProxy proxy;
    private BatchgateTestApp app;

    @AfterEach
    void stop() {
        release.countDown();
        if (app != null) {
            // a failed test may leave the store cut off: the app writes what it holds before it stops
            proxy.restore();
            app.close();
        }
        stub.close();
        if (proxy != null) {
            proxy.close();
        }
        if (h2 != null) {
            h2.stop();
        }
        database.close();
    }

    @Test
    void should_answer_503_at_once_and_finish_the_running_batch_when_the_store_goes_away_and_comes_back() throws Exception {
        stub.respond(r -> {
            awaitRelease();
            return StubServer.Reply.ok();
        });
        app = new BatchgateTestApp().with("batchgate.db.url", storeBehindProxy())
                .with("batchgate.db.user", database.user()).with("batchgate.db.password", database.password())
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start")).start();
        List<String> items = IntStream.range(0, 20).mapToObj(i -> "i-" + i).toList();
        String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "concurrency", 2, "items", items))
                .json().path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> stub.requests().size() == 2);

        proxy.cut();

        HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(app.url("/observe/health"))).GET());
        assertThat(health.statusCode()).isEqualTo(503);
        HttpResponse<String> submitted = send(HttpRequest.newBuilder(URI.create(app.url("/v1/batches")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers
                        .ofString(Json.write(Map.of("target", "svc", "operation", "start", "items", List.of("x"))))));
        assertThat(submitted.statusCode()).isEqualTo(503);
        assertThat(Json.read(submitted.body()).path("error").asText()).isEqualTo("the job store is not available; try again shortly");

        release.countDown();
        proxy.restore();

        JsonNode summary = app.awaitFinished(id);
        assertThat(summary.path("status").asText()).isEqualTo("completed");
        assertThat(summary.path("succeeded").asInt()).isEqualTo(20);
        assertThat(stub.requests()).hasSize(20);
        assertThat(send(HttpRequest.newBuilder(URI.create(app.url("/observe/health"))).GET()).statusCode()).isEqualTo(200);
    }

    /** The test database's url with the proxy in front of its server. */
    private String storeBehindProxy() throws Exception {
        database = TestDatabase.fresh(dir);
        Matcher postgres = HOST_AND_PORT.matcher(database.url());
        if (postgres.find()) {
            proxy = new TcpProxy(postgres.group(2) == null ? 5432 : Integer.parseInt(postgres.group(2)));
            return postgres.replaceFirst("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/");
        }
        h2 = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        proxy = new TcpProxy(h2.getPort());
        return "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/store";
    }

    /** A client that waits no longer than {@link #ANSWER_BOUND}: a hanging answer fails the test. */
    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.timeout(ANSWER_BOUND).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitRelease() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
