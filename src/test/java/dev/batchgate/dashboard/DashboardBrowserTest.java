package dev.batchgate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard in a real browser: Debian's chromium driven by playwright-core ({@code src/test/browser/dashboard.mjs}). */
class DashboardBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private StubServer stub;
    private BatchgateTestApp app;

    // Checked per test: surefire reports the skip with its reason.
    @BeforeEach
    void requireTheBrowser() {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "chromium is not installed (apt-get install -y chromium): skipping the dashboard browser test");
        assumeTrue(nodeRuns(), "node is not installed: skipping the dashboard browser test");
        assumeTrue(Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")),
                "playwright-core is not installed: run `npm ci --prefix src/test/browser` to enable the dashboard browser test");
        stub = new StubServer().respond(r -> {
            if (r.path().contains("/missing-")) {
                return StubServer.Reply.json(404, "{\"error\":\"instance not found\"}");
            }
            return r.path().contains("/slow-") ? StubServer.Reply.json(200, "{}").after(Duration.ofMillis(300))
                    : StubServer.Reply.json(200, "{}");
        });
        app = new BatchgateTestApp()
                .target("instances", stub.url(), Map.of("operations.restart", "POST /instances/{id}/restart",
                        "concurrency", "2", "retries", "0"))
                .start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void should_move_the_progress_bar_live_list_the_nodes_and_cancel_and_retry_with_the_buttons_when_used_in_a_browser()
            throws Exception {
        String failedId = app.post("/v1/batches", Map.of("target", "instances", "operation", "restart", "mode", "sync",
                "items", List.of("i-1", "missing-2", "missing-3"))).json().path("id").asText();
        List<String> slowItems = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            slowItems.add("slow-" + i);
        }
        String slowId = app.post("/v1/batches", Map.of("target", "instances", "operation", "restart", "items", slowItems))
                .json().path("id").asText();
        Path screenshots = Path.of("target").toAbsolutePath();

        JsonNode seen = runBrowser(app.url(""), slowId, failedId, screenshots);

        List<Double> progress = new ArrayList<>();
        seen.path("progress").forEach(p -> progress.add(p.asDouble()));
        assertThat(progress).hasSize(3).isSorted().doesNotHaveDuplicates();
        assertThat(progress.get(2)).isLessThan(100.0);
        assertThat(seen.path("navigationsWhileWatching").asInt()).as("the page never reloaded").isZero();
        assertThat(seen.path("runningRowText").asText()).contains("instances", "restart", "http", "running");
        JsonNode cluster = app.get("/v1/cluster").json();
        JsonNode self = cluster.path("nodes").get(0);
        // a single node, unless the suite runs every app as a one-node cluster
        assertThat(seen.path("nodesHeading").asText())
                .isEqualTo(cluster.path("clustered").asBoolean() ? "Nodes · 1 in the cluster" : "Nodes · single node");
        assertThat(seen.path("nodes")).hasSize(1);
        assertThat(seen.path("nodes").get(0).path("id").asText()).isEqualTo(self.path("id").asText());
        assertThat(seen.path("nodes").get(0).path("marker").asText()).isEqualTo("this node");
        assertThat(seen.path("nodes").get(0).path("address").asText()).isEqualTo(self.path("address").asText())
                .endsWith(":" + app.port());
        assertThat(seen.path("nodes").get(0).path("inFlight").asText()).matches("\\d+");
        assertThat(seen.path("cancelledStatus").asText()).isEqualTo("cancelled");
        assertThat(app.awaitFinished(slowId).path("status").asText()).isEqualTo("cancelled");
        assertThat(seen.path("failedItems").findValuesAsText("id")).containsExactly("missing-2", "missing-3");
        assertThat(seen.path("failedItems").get(0).path("error").asText()).isEqualTo("HTTP 404: instance not found");
        JsonNode retry = app.awaitFinished(seen.path("retryId").asText());
        assertThat(retry.path("retryOf").asText()).isEqualTo(failedId);
        assertThat(retry.path("total").asInt()).isEqualTo(2);
        assertThat(seen.path("retryRetryOf").asText()).isEqualTo(failedId);
        assertThat(seen.path("pageErrors")).isEmpty();
        assertThat(screenshots.resolve("dashboard.png")).isNotEmptyFile();
        assertThat(screenshots.resolve("dashboard-batch.png")).isNotEmptyFile();
    }

    private static JsonNode runBrowser(String baseUrl, String slowId, String failedId, Path screenshots) throws Exception {
        Path log = Files.createTempFile("dashboard-browser", ".log");
        Process process = new ProcessBuilder("node", BROWSER_DIR.resolve("dashboard.mjs").toString(), baseUrl, slowId, failedId,
                screenshots.toString()).redirectError(log.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes());
        boolean ended = process.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("the browser script failed:%n%s", Files.readString(log)).isZero();
        String[] lines = output.strip().split("\n");
        return Json.read(lines[lines.length - 1]);
    }

    private static boolean nodeRuns() {
        try {
            return new ProcessBuilder("node", "--version").start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
