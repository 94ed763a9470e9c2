package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad requests get a 4xx with a JSON body naming the field and item index, never a 500, and nothing is called. */
class BatchRequestValidationTest {

    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp()
                .with("batchgate.max-body", "4MiB")
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start",
                        "operations.deploy", "POST /instances/{id}/deploy",
                        "operations.deploy.body", "{\"version\":\"{params.version}\",\"replicas\":{params.replicas}}"))
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
        assertThat(stub.requests()).as("no bad request reaches the downstream").isEmpty();
    }

    private static BatchgateTestApp.Response create(Object body) {
        return app.post("/v1/batches", body);
    }

    private static void assertError(BatchgateTestApp.Response response, int status, String field, Integer index, String message) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = response.json();
        assertThat(error.path("error").asText()).isNotBlank();
        if (field != null) {
            JsonNode detail = error.path("details").get(0);
            assertThat(detail.path("field").asText()).isEqualTo(field);
            if (index == null) {
                assertThat(detail.has("index")).isFalse();
            } else {
                assertThat(detail.path("index").asInt()).isEqualTo(index);
            }
            assertThat(detail.path("message").asText()).contains(message);
        }
    }

    @Test
    void should_answer_400_when_the_body_is_not_json() {
        var response = create("{\"target\": \"svc\", items: [");

        assertError(response, 400, null, null, null);
        assertThat(response.json().path("error").asText()).startsWith("the body is not valid JSON");
    }

    @Test
    void should_answer_400_when_the_body_is_json_but_not_an_object() {
        assertError(create("[\"a\", \"b\"]"), 400, null, null, null);
    }

    @Test
    void should_answer_415_when_the_body_is_form_encoded() {
        var response = app.send(HttpRequest.newBuilder(URI.create(app.url("/v1/batches")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("target=svc&operation=start&items=a")));

        assertError(response, 415, null, null, null);
        assertThat(response.json().path("error").asText()).contains("application/x-www-form-urlencoded");
    }

    @Test
    void should_answer_400_naming_the_field_when_the_target_is_missing() {
        assertError(create(Map.of("operation", "start", "items", List.of("a"))), 400, "target", null, "required");
    }

    @Test
    void should_answer_404_when_the_target_is_unknown() {
        var response = create(Map.of("target", "nope", "operation", "start", "items", List.of("a")));

        assertError(response, 404, "target", null, "unknown target 'nope'");
    }

    @Test
    void should_answer_404_when_the_operation_is_unknown() {
        var response = create(Map.of("target", "svc", "operation", "explode", "items", List.of("a")));

        assertError(response, 404, "operation", null, "unknown operation 'explode'");
    }

    @Test
    void should_answer_400_when_items_are_empty() {
        assertError(create(Map.of("target", "svc", "operation", "start", "items", List.of())), 400, "items", null,
                "non-empty");
    }

    @Test
    void should_answer_400_naming_the_index_when_an_id_is_repeated() {
        var response = create(Map.of("target", "svc", "operation", "start", "items", List.of("a", "b", "a")));

        assertError(response, 400, "items[2].id", 2, "duplicate id 'a'");
    }

    @Test
    void should_answer_400_naming_the_index_when_an_id_is_empty() {
        var response = create(Map.of("target", "svc", "operation", "start", "items", List.of("a", "")));

        assertError(response, 400, "items[1]", 1, "must not be empty");
    }

    @Test
    void should_answer_400_naming_the_index_when_an_item_object_has_an_empty_id() {
        var response = create(Map.of("target", "svc", "operation", "start", "items", List.of("a", "b", Map.of("id", ""))));

        assertError(response, 400, "items[2].id", 2, "must not be empty");
    }

    @Test
    void should_answer_400_when_an_id_holds_a_control_character() {
        var response = create(Map.of("target", "svc", "operation", "start", "items", List.of("a\u0007b")));

        assertError(response, 400, "items[0]", 0, "control character");
    }

    @Test
    void should_answer_400_when_an_id_is_a_dot_segment() {
        var response = create(Map.of("target", "svc", "operation", "start", "items", List.of("ok", "..")));

        assertError(response, 400, "items[1]", 1, "dot segment");
    }

    @Test
    void should_answer_400_when_an_id_is_neither_string_nor_integer() {
        var response = create(Map.of("target", "svc", "operation", "start", "items", List.of("a", 1.5)));

        assertError(response, 400, "items[1]", 1, "string or an integer");
    }

    @Test
    void should_answer_413_when_there_are_more_than_max_items() {
        List<String> items = new ArrayList<>(100_001);
        for (int i = 0; i < 100_001; i++) {
            items.add("i-" + i);
        }

        var response = create(Map.of("target", "svc", "operation", "start", "items", items));

        assertError(response, 413, "items", null, "100000");
    }

    @Test
    void should_answer_413_when_the_body_is_larger_than_max_body() {
        String padding = "x".repeat(5 * 1024 * 1024);

        var response = create("{\"target\":\"svc\",\"operation\":\"start\",\"items\":[\"" + padding + "\"]}");

        assertError(response, 413, null, null, null);
        assertThat(response.json().path("error").asText()).contains("batchgate.max-body");
    }

    @Test
    void should_answer_400_naming_the_item_and_param_when_a_template_param_is_missing() {
        var response = create(Map.of("target", "svc", "operation", "deploy", "params", Map.of("replicas", 2),
                "items", List.of(Map.of("id", "a", "params", Map.of("version", "1.2")), "b")));

        assertError(response, 400, "items[1].params.version", 1, "missing param 'version'");
    }

    @Test
    void should_answer_400_naming_each_field_when_options_have_the_wrong_type() {
        var response = create(Map.of("target", "svc", "operation", "start", "items", List.of("a"), "concurrency", 0,
                "mode", "fast", "deadline", "soon", "colour", "blue"));

        assertThat(response.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        response.json().path("details").forEach(d -> fields.add(d.path("field").asText()));
        assertThat(fields).contains("concurrency", "mode", "deadline", "colour");
    }

    @Test
    void should_answer_400_when_the_json_is_nested_too_deeply() {
        String deep = "[".repeat(200) + "]".repeat(200);

        var response = create("{\"target\":\"svc\",\"operation\":\"start\",\"items\":" + deep + "}");

        assertError(response, 400, null, null, null);
        assertThat(response.json().path("error").asText()).contains("nested too deeply");
    }

    @Test
    void should_answer_404_when_the_batch_is_unknown() {
        var response = app.get("/v1/batches/b-unknown");

        assertError(response, 404, null, null, null);
        assertThat(response.json().path("error").asText()).isEqualTo("unknown batch 'b-unknown'");
    }

    @Test
    void should_answer_400_when_a_query_parameter_is_out_of_range() {
        assertError(app.get("/v1/batches?limit=0"), 400, null, null, null);
        assertError(app.get("/v1/batches?status=sleeping"), 400, null, null, null);
    }
}
