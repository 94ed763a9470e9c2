package dev.batchgate.facade.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.builder.AdviceWith;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job seen while it runs and after a cancel. The {@code remediate} route is held at a gate in front of
 * the engine so that the test decides when a device finishes.
 */
class RemediationJobLifecycleTest {

    private final Semaphore gate = new Semaphore(0);
    private final CountDownLatch firstDeviceStarted = new CountDownLatch(1);
    private BatchgateTestApp app;

    @BeforeEach
    void start() throws Exception {
        app = new BatchgateTestApp().with("batchgate.remediation.concurrency", "2").start();
        AdviceWith.adviceWith(app.context(), "remediate", route -> route.weaveById("remediate-device").before()
                .process(exchange -> {
                    firstDeviceStarted.countDown();
                    if (!gate.tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never opened the gate");
                    }
                }));
    }

    @AfterEach
    void stop() {
        gate.release(1000);
        app.close();
    }

    private String submitTenDevices() throws InterruptedException {
        List<Map<String, Object>> devices = IntStream.range(0, 10)
                .mapToObj(i -> RemediationApiTest.device("r" + i, "cisco_ios", "hostname r" + i, "hostname r" + i + "-new")).toList();
        String jobId = app.post("/api/v1/batch/remediation", Map.of("device_configs", devices)).json().path("job_id").asText();
        assertThat(firstDeviceStarted.await(30, TimeUnit.SECONDS)).isTrue();
        return jobId;
    }

    private JsonNode status(String jobId) {
        return app.get("/api/v1/batch/jobs/" + jobId).json();
    }

    @Test
    void should_report_running_with_progress_zero_when_no_device_has_finished_yet() throws Exception {
        String jobId = submitTenDevices();

        JsonNode status = status(jobId);
        assertThat(status.path("status").asText()).isEqualTo("running");
        assertThat(status.path("progress").isFloatingPointNumber()).isTrue();
        assertThat(status.path("progress").asDouble()).isZero();
        assertThat(status.path("completed_devices").asInt()).isZero();
        assertThat(status.path("failed_devices").asInt()).isZero();

        gate.release(10);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> status(jobId).path("status").asText().equals("completed"));
        assertThat(status(jobId).path("progress").asDouble()).isEqualTo(100.0);
        assertThat(status(jobId).path("completed_devices").asInt()).isEqualTo(10);
    }

    @Test
    void should_show_a_cancelled_job_as_failed_with_its_unprocessed_devices_failed() throws Exception {
        String jobId = submitTenDevices();

        assertThat(app.post("/v1/batches/" + jobId + "/cancel", "").status()).isEqualTo(202);
        // devices already handed to the engine finish; the others are never processed
        gate.release(10);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> status(jobId).path("status").asText().equals("failed"));

        JsonNode status = status(jobId);
        int completed = status.path("completed_devices").asInt();
        assertThat(completed).isBetween(1, 3);
        assertThat(status.path("failed_devices").asInt()).isEqualTo(10 - completed);
        assertThat(status.path("progress").asDouble()).isEqualTo(100.0);
        JsonNode results = app.get("/api/v1/batch/jobs/" + jobId + "/results").json();
        assertThat(results.path("status").asText()).isEqualTo("failed");
        assertThat(results.path("results")).hasSize(10);
        assertThat(results.path("results").get(9).path("status").asText()).isEqualTo("failed");
        assertThat(results.path("results").get(9).path("error").asText()).startsWith("not processed: the job was cancelled");
        assertThat(results.path("summary").path("completed_devices").asInt()).isEqualTo(completed);
        assertThat(results.path("summary").path("failed_devices").asInt()).isEqualTo(10 - completed);
    }
}
