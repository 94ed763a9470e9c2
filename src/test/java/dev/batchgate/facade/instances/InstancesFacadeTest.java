package dev.batchgate.facade.instances;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The instance manager's batch API answers exactly the instance manager's document, on the shipped instances target. */
class InstancesFacadeTest {

    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(r -> {
            String id = r.path().split("/")[2];
            if (id.equals("instance-3")) {
                return Reply.json(404, "{\"error\":\"Could not start instance. Check if instance exists and has a pipeline.\"}");
            }
            if (id.startsWith("slow-")) {
                return Reply.ok().after(Duration.ofSeconds(3));
            }
            return Reply.json(200, "{\"state\":\"running\"}");
        });
        // the shipped instances target (application.properties) with only its url moved to the stub
        app = new BatchgateTestApp()
                .with("batchgate.instances.sync-timeout", "1s")
                .with("batchgate.targets.instances.url", stub.url())
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    private static BatchgateTestApp.Response batch(String operation, List<String> ids) {
        return app.post("/v1/core/instances/batch/" + operation, Map.of("instanceIds", ids));
    }

    @Test
    void should_answer_the_seed_document_when_some_instances_fail_to_start() {
        var response = batch("start", List.of("instance-1", "instance-2", "instance-3"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode doc = response.json();
        List<String> fields = new ArrayList<>();
        doc.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("results", "total", "success", "failed", "message");
        assertThat(doc.path("results").get(0)).isEqualTo(Json.read(
                "{\"instanceId\":\"instance-1\",\"success\":true,\"status\":\"started\",\"running\":true}"));
        assertThat(doc.path("results").get(1).path("instanceId").asText()).isEqualTo("instance-2");
        JsonNode failed = doc.path("results").get(2);
        assertThat(failed.path("instanceId").asText()).isEqualTo("instance-3");
        assertThat(failed.path("success").asBoolean()).isFalse();
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.has("running")).isFalse();
        assertThat(failed.path("error").asText()).contains("Could not start instance. Check if instance exists and has a pipeline.");
        assertThat(doc.path("total").asInt()).isEqualTo(3);
        assertThat(doc.path("success").asInt()).isEqualTo(2);
        assertThat(doc.path("failed").asInt()).isEqualTo(1);
        assertThat(doc.path("message").asText()).isEqualTo("Batch start operation completed");
        assertThat(stub.requests("/instances/instance-1/start")).hasSize(1);
    }

    @Test
    void should_report_stopped_and_not_running_when_instances_are_stopped() {
        JsonNode doc = batch("stop", List.of("stop-1", "stop-2")).json();

        assertThat(doc.path("results").get(0)).isEqualTo(Json.read(
                "{\"instanceId\":\"stop-1\",\"success\":true,\"status\":\"stopped\",\"running\":false}"));
        assertThat(doc.path("message").asText()).isEqualTo("Batch stop operation completed");
        assertThat(stub.requests("/instances/stop-1/stop")).hasSize(1);
    }

    @Test
    void should_report_restarted_and_running_when_instances_are_restarted() {
        JsonNode doc = batch("restart", List.of("restart-1")).json();

        assertThat(doc.path("results").get(0)).isEqualTo(Json.read(
                "{\"instanceId\":\"restart-1\",\"success\":true,\"status\":\"restarted\",\"running\":true}"));
        assertThat(doc.path("message").asText()).isEqualTo("Batch restart operation completed");
    }

    @Test
    void should_answer_200_with_unfinished_instances_failed_when_the_facade_timeout_passes() {
        var response = batch("start", List.of("fast-1", "slow-1"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode doc = response.json();
        assertThat(doc.path("results").get(0).path("success").asBoolean()).isTrue();
        JsonNode slow = doc.path("results").get(1);
        assertThat(slow.path("success").asBoolean()).isFalse();
        assertThat(slow.path("status").asText()).isEqualTo("failed");
        assertThat(slow.path("error").asText()).matches("not finished after 1s \\(batch b-\\S+\\)");
        assertThat(doc.path("success").asInt()).isEqualTo(1);
        assertThat(doc.path("failed").asInt()).isEqualTo(1);
    }

    @Test
    void should_answer_404_when_the_operation_is_unknown() {
        var response = batch("explode", List.of("instance-1"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("error").asText()).contains("explode");
    }

    @Test
    void should_answer_400_when_instance_ids_are_missing_or_repeated() {
        assertThat(app.post("/v1/core/instances/batch/start", Map.of("ids", List.of("a"))).status()).isEqualTo(400);
        assertThat(batch("start", List.of()).status()).isEqualTo(400);

        var repeated = batch("start", List.of("dup-1", "dup-2", "dup-1"));

        assertThat(repeated.status()).isEqualTo(400);
        JsonNode detail = repeated.json().path("details").get(0);
        assertThat(detail.path("field").asText()).isEqualTo("instanceIds[2]");
        assertThat(detail.path("index").asInt()).isEqualTo(2);
        assertThat(app.post("/v1/core/instances/batch/start", "{oops").status()).isEqualTo(400);
    }
}
