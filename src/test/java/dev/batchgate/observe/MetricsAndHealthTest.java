package dev.batchgate.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.store.JdbcJobStore;
import dev.batchgate.store.JobStore;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsAndHealthTest {

    static StubServer stub;
    static BatchgateTestApp app;
    static final AtomicBoolean limitedOnce = new AtomicBoolean();

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(r -> {
            if (r.path().contains("/missing-")) {
                return StubServer.Reply.json(404, "{\"error\":\"no such instance\"}");
            }
            if (r.path().contains("/limited-") && limitedOnce.compareAndSet(false, true)) {
                return StubServer.Reply.json(429, "{}").withHeader("Retry-After", "0");
            }
            if (r.path().contains("/slow-")) {
                return StubServer.Reply.json(200, "{}").after(Duration.ofMillis(1500));
            }
            return StubServer.Reply.json(200, "{}");
        });
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start", "retries", "0"))
                .target("other", stub.url(), Map.of("operations.stop", "POST /instances/{id}/stop"))
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    @Test
    void should_count_items_requests_waits_and_429s_as_they_happened_when_metrics_are_scraped() {
        var response = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "mode", "sync",
                "items", List.of("i-1", "i-2", "i-3", "missing-4", "limited-5")));
        assertThat(response.json().path("succeeded").asInt()).isEqualTo(4);

        List<Sample> metrics = scrape();

        assertThat(value(metrics, "batchgate_items_total", "target", "svc", "operation", "start", "outcome", "succeeded")).isEqualTo(4);
        assertThat(value(metrics, "batchgate_items_total", "target", "svc", "operation", "start", "outcome", "failed")).isEqualTo(1);
        int requests = stub.requests("/instances/").size();
        assertThat(requests).isEqualTo(6);
        assertThat(sum(metrics, "batchgate_downstream_requests_seconds_count", "target", "svc")).isEqualTo(requests);
        assertThat(value(metrics, "batchgate_downstream_requests_seconds_count", "target", "svc", "outcome", "rate_limited"))
                .isEqualTo(1);
        assertThat(value(metrics, "batchgate_downstream_requests_seconds_count", "target", "svc", "outcome", "failed"))
                .isEqualTo(1);
        assertThat(value(metrics, "batchgate_downstream_rate_limited_total", "target", "svc")).isEqualTo(1);
        assertThat(value(metrics, "batchgate_ratelimit_wait_seconds_count", "target", "svc")).isEqualTo(requests);
        assertThat(value(metrics, "batchgate_batches_finished_total", "target", "svc", "operation", "start",
                "status", "completed")).isEqualTo(1);
        assertThat(metrics).extracting(Sample::name).contains("jvm_memory_used_bytes", "camel_exchanges_total")
                .doesNotContain("camel_exchange_event_notifier_seconds_count");
        // Camel's route timers: the batch's route counts it, the route of its items does not time every item
        assertThat(value(metrics, "camel_exchanges_total", "routeId", "batch-run")).isEqualTo(1);
        assertThat(matching(metrics, "camel_exchanges_total", "routeId", "item-run")).isEmpty();
    }

    @Test
    void should_show_a_running_batch_until_it_ends_when_the_running_gauge_is_scraped() {
        String id = app.post("/v1/batches", Map.of("target", "other", "operation", "stop", "items", List.of("slow-1")))
                .json().path("id").asText();

        await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), "batchgate_batches_running") == 1);
        app.awaitFinished(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), "batchgate_batches_running") == 0);
        assertThat(value(scrape(), "batchgate_items_total", "target", "other", "operation", "stop", "outcome", "succeeded"))
                .isEqualTo(1);
    }

    @Test
    void should_report_up_with_the_job_store_check_when_health_is_asked() {
        var response = app.get("/observe/health");

        assertThat(response.status()).isEqualTo(200);
        JsonNode health = response.json();
        assertThat(health.path("status").asText()).isEqualTo("UP");
        HealthCheck jobStore = HealthCheckRegistry.get(app.context()).getCheck("job-store").orElseThrow();
        assertThat(jobStore.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void should_report_down_when_the_job_store_does_not_answer() {
        JobStore closed = new JdbcJobStore("jdbc:h2:mem:health-" + System.nanoTime(), "sa", "");
        closed.close();
        JobStoreHealthCheck check = new JobStoreHealthCheck(closed);
        check.setCamelContext(app.context());

        HealthCheck.Result result = check.call();

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).contains("the job store does not answer");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "text/plain | text/plain; version=0.0.4; charset=utf-8",
            "text/plain; version=0.0.4 | text/plain; version=0.0.4; charset=utf-8",
            "*/* | text/plain; version=0.0.4; charset=utf-8",
            "application/openmetrics-text; version=1.0.0 | application/openmetrics-text; version=1.0.0; charset=utf-8",
            // what Prometheus itself sends
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1 | application/openmetrics-text; version=1.0.0; charset=utf-8"})
    void should_answer_in_the_format_asked_for_when_the_scraper_sends_an_accept_header(String accept, String contentType) {
        var response = app.send(HttpRequest.newBuilder(URI.create(app.url("/observe/metrics"))).header("Accept", accept).GET());

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(contentType);
        List<Sample> samples = parse(response.text());
        assertThat(samples).extracting(Sample::name).contains("batchgate_batches_running", "jvm_memory_used_bytes");
        if (contentType.startsWith("application/openmetrics-text")) {
            assertThat(response.text()).endsWith("# EOF\n");
        }
    }

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ([-+0-9.eE]+|NaN|[+-]Inf)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static List<Sample> scrape() {
        var response = app.get("/observe/metrics");
        assertThat(response.status()).isEqualTo(200);
        return parse(response.text());
    }

    /** Parses the samples of the Prometheus text format or of OpenMetrics (whose other lines start with '#' too). */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
            Map<String, String> labels = new java.util.HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return samples;
    }

    static double value(List<Sample> samples, String name, String... labels) {
        List<Sample> matching = matching(samples, name, labels);
        assertThat(matching).as("one sample %s %s", name, List.of(labels)).hasSize(1);
        return matching.get(0).value();
    }

    static double sum(List<Sample> samples, String name, String... labels) {
        return matching(samples, name, labels).stream().mapToDouble(Sample::value).sum();
    }

    private static List<Sample> matching(List<Sample> samples, String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name)).filter(s -> {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
    }
}
