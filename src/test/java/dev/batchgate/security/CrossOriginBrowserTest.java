package dev.batchgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A page of another site, in a real browser (Debian's chromium driven by playwright-core,
 * {@code src/test/browser/cross-origin.mjs}), tries every request shape a browser lets it send to the
 * user's batchgate: nothing is created, cancelled or changed, and the downstream is never called.
 */
class CrossOriginBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final CountDownLatch release = new CountDownLatch(1);
    private StubServer stub;
    private BatchgateTestApp app;
    private HttpServer hostileSite;

    @BeforeEach
    void requireTheBrowser() {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install -y chromium): skipping the browser test");
        assumeTrue(Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")),
                "playwright-core is not installed: run `npm ci --prefix src/test/browser` to enable the browser test");
        stub = new StubServer().respond(r -> {
            if (r.path().contains("/held-")) {
                awaitRelease();
            }
            return r.path().contains("/missing-") ? StubServer.Reply.json(404, "{\"error\":\"instance not found\"}")
                    : StubServer.Reply.ok();
        });
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}", "retries", "0"))
                .target("instances", stub.url(), Map.of("operations.stop", "POST /instances/{id}/stop"))
                .start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (hostileSite != null) {
            hostileSite.stop(0);
        }
        if (app != null) {
            app.close();
        }
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void should_create_change_and_call_nothing_when_a_page_of_another_site_tries_every_request_shape() throws Exception {
        String running = app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "items", List.of("held-1")))
                .json().path("id").asText();
        String failed = app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "mode", "sync",
                "items", List.of("missing-1"))).json().path("id").asText();
        int batchesBefore = batchCount();
        String rpmBefore = app.get("/v1/targets/svc").json().path("rpm").toString();
        stub.reset();

        JsonNode attempts = runBrowser(serveHostilePage(running, failed));

        assertThat(attempts.size()).as(attempts.toString()).isGreaterThanOrEqualTo(40);
        assertThat(batchCount()).as("batches after the hostile page: %s", attempts).isEqualTo(batchesBefore);
        assertThat(stub.requests()).as("calls to the downstream").isEmpty();
        assertThat(app.get("/v1/batches/" + running).json().path("status").asText()).isEqualTo("running");
        assertThat(app.get("/v1/targets/svc").json().path("rpm").toString()).isEqualTo(rpmBefore);
        release.countDown();
        assertThat(app.awaitFinished(running).path("status").asText()).isEqualTo("completed");
    }

    /** Serves the hostile page on a port of its own, under a site name of its own: another origin. */
    private String serveHostilePage(String running, String failed) throws IOException {
        String page = Files.readString(Path.of("src", "test", "resources", "hostile-page.html"))
                .replace("API_BASE", app.url(""))
                .replace("RUNNING_ID", running)
                .replace("FAILED_ID", failed);
        hostileSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hostileSite.createContext("/", exchange -> {
            byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        hostileSite.start();
        return "http://hostile.test:" + hostileSite.getAddress().getPort() + "/";
    }

    private int batchCount() {
        return app.get("/v1/batches?limit=1000").json().path("batches").size();
    }

    private static JsonNode runBrowser(String pageUrl) throws Exception {
        Path log = Files.createTempFile("cross-origin-browser", ".log");
        Process process = new ProcessBuilder("node", BROWSER_DIR.resolve("cross-origin.mjs").toString(), pageUrl)
                .redirectError(log.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("the browser script failed:%n%s", Files.readString(log)).isZero();
        String[] lines = output.strip().split("\n");
        return Json.read(lines[lines.length - 1]);
    }

    private void awaitRelease() {
        try {
            release.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
