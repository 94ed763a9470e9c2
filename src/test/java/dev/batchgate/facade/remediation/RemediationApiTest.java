package dev.batchgate.facade.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The remediation job API on the real app: field names, statuses, per-device failures, bad requests. */
class RemediationApiTest {

    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        app = new BatchgateTestApp().start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Map<String, Object> device(String id, String platform, String running, String intended) {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("device_id", id);
        device.put("platform", platform);
        device.put("running_config", running);
        device.put("intended_config", intended);
        return device;
    }

    static JsonNode awaitJobDone(String jobId) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = app.get("/api/v1/batch/jobs/" + jobId).json();
            String status = last[0].path("status").asText();
            return status.equals("completed") || status.equals("failed");
        });
        return last[0];
    }

    @Test
    void should_answer_the_seed_documents_when_the_seed_example_is_submitted() {
        var created = app.post("/api/v1/batch/remediation", Map.of("device_configs", List.of(
                device("router1", "cisco_ios", "hostname router1", "hostname router1-new"),
                device("router2", "cisco_ios", "hostname router2", "hostname router2-new"),
                device("switch1", "cisco_nxos", "hostname switch1", "hostname switch1-new"))));

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().properties()).extracting(Map.Entry::getKey).containsExactly("job_id", "total_devices");
        assertThat(created.json().path("total_devices").asInt()).isEqualTo(3);
        String jobId = created.json().path("job_id").asText();

        JsonNode status = awaitJobDone(jobId);
        assertThat(status.properties()).extracting(Map.Entry::getKey).containsExactly("job_id", "status", "progress",
                "total_devices", "completed_devices", "failed_devices");
        assertThat(status.path("job_id").asText()).isEqualTo(jobId);
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(status.path("progress").isFloatingPointNumber()).isTrue();
        assertThat(status.path("progress").asDouble()).isEqualTo(100.0);
        assertThat(status.path("total_devices").asInt()).isEqualTo(3);
        assertThat(status.path("completed_devices").asInt()).isEqualTo(3);
        assertThat(status.path("failed_devices").asInt()).isZero();

        JsonNode results = app.get("/api/v1/batch/jobs/" + jobId + "/results").json();
        assertThat(results.properties()).extracting(Map.Entry::getKey).containsExactly("job_id", "status", "results", "summary");
        assertThat(results.path("status").asText()).isEqualTo("completed");
        JsonNode router1 = results.path("results").get(0);
        assertThat(router1.properties()).extracting(Map.Entry::getKey)
                .containsExactly("device_id", "status", "remediation", "rollback");
        assertThat(router1.path("device_id").asText()).isEqualTo("router1");
        assertThat(router1.path("status").asText()).isEqualTo("success");
        assertThat(router1.path("remediation").asText()).isEqualTo("no hostname router1\nhostname router1-new");
        assertThat(router1.path("rollback").asText()).isEqualTo("no hostname router1-new\nhostname router1");
        assertThat(results.path("results").findValuesAsText("device_id")).containsExactly("router1", "router2", "switch1");
        assertThat(results.path("summary").toString())
                .isEqualTo("{\"total_devices\":3,\"completed_devices\":3,\"failed_devices\":0,\"status\":\"completed\"}");
    }

    @Test
    void should_fail_only_that_device_when_its_platform_is_unsupported() {
        String jobId = app.post("/api/v1/batch/remediation", Map.of("device_configs", List.of(
                device("r1", "cisco_ios", "hostname r1", "hostname r1-new"),
                device("j1", "juniper_junos", "set system host-name j1", "set system host-name j1-new"))))
                .json().path("job_id").asText();

        JsonNode status = awaitJobDone(jobId);
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(status.path("completed_devices").asInt()).isEqualTo(1);
        assertThat(status.path("failed_devices").asInt()).isEqualTo(1);
        assertThat(status.path("progress").asDouble()).isEqualTo(100.0);
        JsonNode failed = app.get("/api/v1/batch/jobs/" + jobId + "/results").json().path("results").get(1);
        assertThat(failed.toString())
                .isEqualTo("{\"device_id\":\"j1\",\"status\":\"failed\",\"error\":\"unsupported platform: juniper_junos\"}");
    }

    @Test
    void should_fail_only_that_device_with_a_masked_error_when_its_config_cannot_be_parsed() {
        String broken = "  enable secret 5 $1$hunter2$Xyz\nhostname r2";
        String jobId = app.post("/api/v1/batch/remediation", Map.of("device_configs", List.of(
                device("r1", "cisco_ios", "hostname r1", "hostname r1-new"),
                device("r2", "cisco_ios", broken, "hostname r2"))))
                .json().path("job_id").asText();

        JsonNode status = awaitJobDone(jobId);
        assertThat(status.path("status").asText()).isEqualTo("completed");
        JsonNode results = app.get("/api/v1/batch/jobs/" + jobId + "/results").json();
        JsonNode failed = results.path("results").get(1);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).contains("running config, line 1").contains("no parent")
                .doesNotContain("hunter2");
        assertThat(results.path("summary").path("failed_devices").asInt()).isEqualTo(1);
        assertThat(app.get("/v1/batches/" + jobId + "/results").text()).doesNotContain("hunter2$Xyz'");
    }

    @Test
    void should_list_the_job_as_a_batch_when_it_was_created_through_the_facade() {
        String jobId = app.post("/api/v1/batch/remediation", Map.of("device_configs", List.of(
                device("r1", "arista_eos", "hostname r1", "hostname r1-new")))).json().path("job_id").asText();
        awaitJobDone(jobId);

        JsonNode batch = app.get("/v1/batches/" + jobId).json();
        assertThat(batch.path("target").asText()).isEqualTo("remediation");
        assertThat(batch.path("operation").asText()).isEqualTo("remediate");
        assertThat(batch.path("trigger").asText()).isEqualTo("facade:remediation");
        assertThat(batch.path("succeeded").asInt()).isEqualTo(1);
        assertThat(app.get("/v1/batches?target=remediation").json().findValuesAsText("id")).contains(jobId);
    }

    @Test
    void should_answer_404_when_the_job_is_unknown_or_not_a_remediation_job() {
        assertThat(app.get("/api/v1/batch/jobs/b-nope").status()).isEqualTo(404);
        assertThat(app.get("/api/v1/batch/jobs/b-nope/results").status()).isEqualTo(404);
        assertThat(app.get("/api/v1/batch/jobs/b-nope").json().path("error").asText()).isEqualTo("unknown job 'b-nope'");
    }

    static Stream<Arguments> badRequests() {
        Map<String, Object> ok = device("r1", "cisco_ios", "hostname r1", "hostname r1-new");
        List<Object> missingPlatformAt3 = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> d = device("r" + i, "cisco_ios", "hostname a", "hostname b");
            if (i == 3) {
                d.remove("platform");
            }
            missingPlatformAt3.add(d);
        }
        Map<String, Object> numericConfig = device("r1", "cisco_ios", "hostname r1", "x");
        numericConfig.put("running_config", 42);
        Map<String, Object> noIntended = device("r1", "cisco_ios", "hostname r1", "x");
        noIntended.remove("intended_config");
        Map<String, Object> noId = device("r1", "cisco_ios", "hostname r1", "x");
        noId.remove("device_id");
        return Stream.of(
                Arguments.of(Map.of("devices", List.of(ok)), "device_configs", "required"),
                Arguments.of(Map.of("device_configs", List.of()), "device_configs", "must not be empty"),
                Arguments.of(Map.of("device_configs", "r1"), "device_configs", "must be a list"),
                Arguments.of(Map.of("device_configs", List.of(ok, ok)), "device_configs[1].device_id", "duplicate device_id 'r1'"),
                Arguments.of(Map.of("device_configs", missingPlatformAt3), "device_configs[3].platform", "required"),
                Arguments.of(Map.of("device_configs", List.of(numericConfig)), "device_configs[0].running_config", "must be a string"),
                Arguments.of(Map.of("device_configs", List.of(noIntended)), "device_configs[0].intended_config", "required"),
                Arguments.of(Map.of("device_configs", List.of(noId)), "device_configs[0].device_id", "required"),
                Arguments.of(Map.of("device_configs", List.of("r1")), "device_configs[0]", "must be an object"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("badRequests")
    void should_answer_400_naming_the_device_and_field_when_the_request_is_malformed(Object body, String field, String message) {
        var response = app.post("/api/v1/batch/remediation", body);

        assertThat(response.status()).isEqualTo(400);
        JsonNode detail = response.json().path("details").get(0);
        assertThat(detail.path("field").asText()).isEqualTo(field);
        assertThat(detail.path("message").asText()).contains(message);
        assertThat(response.json().path("error").asText()).startsWith(field + ": ");
    }

    @Test
    void should_answer_400_when_the_body_is_not_json() {
        var response = app.post("/api/v1/batch/remediation", "{\"device_configs\": [");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).startsWith("the body is not valid JSON");
    }
}
