package dev.batchgate.facade.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.store.JobStore;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.SlowReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The results document of a large job to slow, concurrent readers: complete JSON with every device once, or a visibly cut-off body. */
class RemediationResultsStreamTest {

    static final int DEVICES = 50_000;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        app = new BatchgateTestApp().start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A job of {@code count} devices renamed to {@code name}, every 1,000th on a platform we do not support (so it fails). */
    static String submit(String prefix, int count, String name) {
        List<Map<String, Object>> devices = IntStream.range(0, count).mapToObj(i -> RemediationApiTest.device(prefix + i,
                i % 1000 == 999 ? "juniper_junos" : "cisco_ios", "hostname " + prefix + i, "hostname " + name)).toList();
        String jobId = app.post("/api/v1/batch/remediation", Map.of("device_configs", devices)).json().path("job_id").asText();
        app.awaitFinished(jobId);
        return jobId;
    }

    @Test
    void should_send_every_device_once_in_a_complete_document_when_several_slow_clients_read_at_once() throws Exception {
        String job = submit("r-", DEVICES, "new");
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<Future<SlowReader.Result>> reads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reads.add(clients.submit(() -> slowReader().get(results(job), "application/json")));
            }

            for (Future<SlowReader.Result> read : reads) {
                SlowReader.Result result = read.get();
                assertThat(result.status()).isEqualTo(200);
                assertThat(result.complete()).as(result.failure()).isTrue();
                JsonNode document = Json.read(result.text());
                assertThat(document.path("results").findValuesAsText("device_id"))
                        .containsExactlyElementsOf(IntStream.range(0, DEVICES).mapToObj(i -> "r-" + i).toList());
                assertThat(document.path("summary").toString()).isEqualTo("{\"total_devices\":" + DEVICES
                        + ",\"completed_devices\":" + (DEVICES - DEVICES / 1000) + ",\"failed_devices\":" + DEVICES / 1000
                        + ",\"status\":\"completed\"}");
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void should_cut_the_document_off_without_its_last_chunk_when_the_job_is_deleted_part_way() throws Exception {
        // long names make each device's entry large: a document many times what loopback socket buffers absorb (some MB)
        String doomed = submit("d-", 20_000, "n".repeat(200));
        CountDownLatch deleted = new CountDownLatch(1);
        SlowReader reader = slowReader().holdAt(64 * 1024, deleted);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<SlowReader.Result> read = client.submit(() -> reader.get(results(doomed), "application/json"));
            assertThat(reader.awaitHolding(Duration.ofSeconds(60))).isTrue();

            JobStore store = app.context().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
            store.deleteBatch(doomed);
            deleted.countDown();

            SlowReader.Result result = read.get();
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.complete()).isFalse();
            assertThat(result.failure()).contains("before the last chunk");
            assertThat(result.text()).startsWith("{\"job_id\":\"" + doomed + "\"").doesNotContain("\"summary\"");
            assertThatThrownBy(() -> Json.read(result.text())).isInstanceOf(UncheckedIOException.class);
        } finally {
            client.shutdownNow();
        }
    }

    /** Reads slower than the server writes, so its write queue fills and it must wait for the reader. */
    private static SlowReader slowReader() {
        return new SlowReader(app.port()).pacing(2048, 64 * 1024, Duration.ofMillis(20));
    }

    private static String results(String jobId) {
        return "/api/v1/batch/jobs/" + jobId + "/results";
    }
}
