package dev.batchgate.facade.coolify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer.Recorded;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Coolify tools of the real app against a stub Coolify, over MCP's Streamable HTTP and over REST. */
class CoolifyToolsTest {

    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();

    static CoolifyStub coolify;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        coolify = new CoolifyStub();
        app = new BatchgateTestApp()
                .with("batchgate.targets.coolify.url", coolify.url())
                .with("batchgate.targets.coolify.headers.Authorization", "Bearer " + CoolifyStub.TOKEN)
                .with("batchgate.targets.coolify.rpm", "6000")
                .with("batchgate.coolify.poll-interval", "20ms")
                .with("batchgate.mcp.max-wait", "3s")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        coolify.close();
    }

    @Test
    void should_list_the_seed_tools_with_their_schemas_and_defaults_when_a_client_lists_tools() {
        JsonNode tools = rpc("tools/list", Map.of()).at("/result/tools");

        List<String> names = new ArrayList<>();
        tools.forEach(tool -> names.add(tool.get("name").asText()));
        assertThat(names).containsExactly("batch_restart_applications", "batch_stop_applications", "batch_start_services",
                "batch_stop_services", "batch_update_env_vars", "get_batch", "cancel_batch", "retry_failed");
        JsonNode restart = tools.get(0).get("inputSchema");
        assertThat(restart.at("/required").toString()).isEqualTo("[\"application_uuids\"]");
        assertThat(restart.at("/properties/application_uuids/minItems").asInt()).isEqualTo(1);
        assertThat(restart.at("/properties/application_uuids/items").toString()).isEqualTo("{\"type\":\"string\",\"minLength\":1}");
        assertThat(restart.at("/properties/parallel/default").asBoolean()).isTrue();
        assertThat(restart.at("/properties/wait_for_completion/default").asBoolean(true)).isFalse();
        assertThat(tools.get(1).at("/inputSchema/properties/force/default").asBoolean(true)).isFalse();
        assertThat(tools.get(2).at("/inputSchema/required").toString()).isEqualTo("[\"service_uuids\"]");
        JsonNode env = tools.get(4).get("inputSchema");
        assertThat(env.at("/required").toString()).isEqualTo("[\"application_uuids\",\"env_vars\"]");
        assertThat(env.at("/properties/env_vars/minProperties").asInt()).isEqualTo(1);
        assertThat(env.at("/properties/env_vars/additionalProperties/type").asText()).isEqualTo("string");
        assertThat(env.at("/properties/restart_after_update/default").asBoolean(true)).isFalse();
        tools.forEach(tool -> assertThat(tool.has("outputSchema")).isFalse());
    }

    @Test
    void should_wait_for_each_deployment_and_report_each_application_when_wait_for_completion_is_set() {
        JsonNode answer = callTool("batch_restart_applications",
                Map.of("application_uuids", List.of("app-1", "app-deploy-fails", "app-missing"), "wait_for_completion", true));

        assertThat(answer.at("/isError").asBoolean()).isFalse();
        JsonNode document = document(answer);
        assertThat(document.get("total").asInt()).isEqualTo(3);
        assertThat(document.get("successful").asInt()).isEqualTo(1);
        assertThat(document.get("failed").asInt()).isEqualTo(2);
        JsonNode results = document.get("results");
        assertThat(results.get(0).get("uuid").asText()).isEqualTo("app-1");
        assertThat(results.get(0).get("status").asText()).isEqualTo("success");
        String deployment = results.get(0).get("deployment_uuid").asText();
        assertThat(coolify.calls("GET", "/api/v1/deployments/" + deployment)).hasSize(3);
        assertThat(results.get(1).get("status").asText()).isEqualTo("failed");
        assertThat(results.get(1).get("error").asText())
                .isEqualTo("deployment " + results.get(1).get("deployment_uuid").asText() + " failed");
        assertThat(results.get(2).get("error").asText()).isEqualTo("HTTP 404: Resource not found.");
        assertThat(coolify.calls("POST", "/api/v1/applications/app-1/restart")).isNotEmpty();
    }

    @Test
    void should_restart_one_application_at_a_time_when_parallel_is_false() {
        JsonNode document = document(callTool("batch_restart_applications",
                Map.of("application_uuids", List.of("app-1", "app-2"), "parallel", false, "wait_for_completion", true)));

        assertThat(document.get("successful").asInt()).isEqualTo(2);
        String firstDeployment = document.at("/results/0/deployment_uuid").asText();
        String secondDeployment = document.at("/results/1/deployment_uuid").asText();
        List<String> calls = coolify.calls().stream().map(call -> call.method() + " " + call.path())
                .filter(call -> call.endsWith("/" + firstDeployment) || call.endsWith("/" + secondDeployment))
                .toList();
        int lastPollOfFirst = calls.lastIndexOf("GET /api/v1/deployments/" + firstDeployment);
        int firstPollOfSecond = calls.indexOf("GET /api/v1/deployments/" + secondDeployment);
        assertThat(lastPollOfFirst).isLessThan(firstPollOfSecond);
        JsonNode batch = app.get("/v1/batches/" + document.get("batch_id").asText()).json();
        assertThat(batch.get("trigger").asText()).isEqualTo("mcp");
        assertThat(batch.get("target").asText()).isEqualTo("coolify");
        assertThat(batch.get("operation").asText()).isEqualTo("batch_restart_applications");
    }

    @Test
    void should_skip_an_application_already_stopped_when_force_is_false() {
        JsonNode document = document(callTool("batch_stop_applications",
                Map.of("application_uuids", List.of("app-2", "app-stopped"))));

        assertThat(document.get("successful").asInt()).isEqualTo(2);
        assertThat(document.at("/results/0/status").asText()).isEqualTo("success");
        assertThat(document.at("/results/0/skipped").isMissingNode()).isTrue();
        assertThat(document.at("/results/1/status").asText()).isEqualTo("success");
        assertThat(document.at("/results/1/skipped").asBoolean()).isTrue();
        assertThat(coolify.calls("GET", "/api/v1/applications/app-stopped")).isNotEmpty();
        assertThat(coolify.calls("POST", "/api/v1/applications/app-stopped/stop")).isEmpty();
        assertThat(coolify.calls("POST", "/api/v1/applications/app-2/stop")).isNotEmpty();
    }

    @Test
    void should_stop_without_reading_first_when_force_is_true() {
        JsonNode document = document(callTool("batch_stop_services", Map.of("service_uuids", List.of("svc-stopped"), "force", true)));

        assertThat(document.at("/results/0/status").asText()).isEqualTo("success");
        assertThat(document.at("/results/0/skipped").isMissingNode()).isTrue();
        assertThat(coolify.calls("GET", "/api/v1/services/svc-stopped")).isEmpty();
        assertThat(coolify.calls("POST", "/api/v1/services/svc-stopped/stop")).hasSize(1);
    }

    @Test
    void should_answer_the_tool_document_over_rest_when_a_tool_is_posted() {
        BatchgateTestApp.Response response = app.post("/v1/coolify/batch_start_services",
                Map.of("service_uuids", List.of("svc-1", "svc-missing")));

        assertThat(response.status()).isEqualTo(200);
        JsonNode document = response.json();
        assertThat(document.get("total").asInt()).isEqualTo(2);
        assertThat(document.get("successful").asInt()).isEqualTo(1);
        assertThat(document.at("/results/1/error").asText()).isEqualTo("HTTP 404: Resource not found.");
        assertThat(coolify.calls("POST", "/api/v1/services/svc-1/start")).hasSize(1);
        JsonNode listed = app.get("/v1/batches?target=coolify&limit=100").json();
        assertThat(listed.toString()).contains(document.get("batch_id").asText());
        assertThat(app.get("/v1/batches/" + document.get("batch_id").asText()).json().get("trigger").asText())
                .isEqualTo("facade:coolify");
    }

    @Test
    void should_answer_400_naming_the_field_when_rest_arguments_do_not_fit_the_schema() {
        BatchgateTestApp.Response empty = app.post("/v1/coolify/batch_stop_applications", Map.of("application_uuids", List.of()));
        BatchgateTestApp.Response blank = app.post("/v1/coolify/batch_stop_applications", Map.of("application_uuids", List.of("a", "")));
        BatchgateTestApp.Response unknown = app.post("/v1/coolify/batch_reboot_everything", Map.of());

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error").asText()).isEqualTo("application_uuids: must contain at least 1 item");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.json().at("/details/0/field").asText()).isEqualTo("application_uuids[1]");
        assertThat(blank.json().at("/details/0/index").asInt()).isEqualTo(1);
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void should_answer_an_error_result_naming_the_field_when_mcp_arguments_are_invalid() {
        JsonNode noVars = callTool("batch_update_env_vars", Map.of("application_uuids", List.of("app-1"), "env_vars", Map.of()));
        JsonNode duplicate = callTool("batch_start_services", Map.of("service_uuids", List.of("svc-1", "svc-1")));
        JsonNode typo = callTool("batch_restart_applications", Map.of("application_uuids", List.of("app-1"), "wait", true));

        assertThat(noVars.get("isError").asBoolean()).isTrue();
        assertThat(text(noVars)).isEqualTo("env_vars: must contain at least 1 entry");
        assertThat(duplicate.get("isError").asBoolean()).isTrue();
        assertThat(text(duplicate)).isEqualTo("service_uuids[1]: duplicate uuid 'svc-1'");
        assertThat(text(typo)).isEqualTo("wait: is not a known argument");
    }

    @Test
    void should_answer_pending_items_and_the_batch_id_when_the_batch_outlasts_max_wait() {
        JsonNode document = document(callTool("batch_restart_applications",
                Map.of("application_uuids", List.of("app-1", "app-deploy-hangs"), "wait_for_completion", true)));

        String batchId = document.get("batch_id").asText();
        assertThat(document.get("successful").asInt()).isEqualTo(1);
        assertThat(document.get("pending").asInt()).isEqualTo(1);
        assertThat(document.at("/results/1/status").asText()).isEqualTo("pending");
        assertThat(document.get("message").asText()).contains("get_batch");
        assertThat(document(callTool("get_batch", Map.of("batch_id", batchId))).at("/results/1/status").asText())
                .isEqualTo("pending");

        JsonNode cancelled = document(callTool("cancel_batch", Map.of("batch_id", batchId)));

        assertThat(cancelled.at("/results/1/status").asText()).isEqualTo("failed");
        assertThat(cancelled.at("/results/1/error").asText()).startsWith("cancelled while waiting for deployment");
        assertThat(app.get("/v1/batches/" + batchId).json().get("status").asText()).isEqualTo("cancelled");
        assertThat(callTool("cancel_batch", Map.of("batch_id", "b-unknown")).get("isError").asBoolean()).isTrue();
    }

    @Test
    void should_run_only_the_failed_items_again_when_retry_failed_is_called() {
        String first = document(callTool("batch_restart_applications", Map.of("application_uuids", List.of("app-2", "app-gone"))))
                .get("batch_id").asText();

        JsonNode retried = document(callTool("retry_failed", Map.of("batch_id", first)));

        assertThat(retried.get("total").asInt()).isEqualTo(1);
        assertThat(retried.at("/results/0/uuid").asText()).isEqualTo("app-gone");
        assertThat(retried.get("batch_id").asText()).isNotEqualTo(first);
        assertThat(app.get("/v1/batches/" + retried.get("batch_id").asText()).json().get("retryOf").asText()).isEqualTo(first);
    }

    @Test
    void should_set_the_variables_with_one_bulk_update_per_application_then_restart_when_asked() {
        JsonNode document = document(callTool("batch_update_env_vars", Map.of(
                "application_uuids", List.of("app-1", "app-restart-refused", "app-envs-refused"),
                "env_vars", Map.of("API_KEY", "k-31337-rotated"), "restart_after_update", true)));

        assertThat(document.get("env_vars").toString()).isEqualTo("{\"API_KEY\":\"***\"}");
        assertThat(document.get("vars_count").asInt()).isEqualTo(1);
        assertThat(document.get("successful").asInt()).isEqualTo(1);
        assertThat(document.get("results").get(0).toString()).contains("\"vars_updated\":1", "\"restarted\":true");
        JsonNode refusedRestart = document.get("results").get(1);
        assertThat(refusedRestart.get("status").asText()).isEqualTo("failed");
        assertThat(refusedRestart.get("vars_updated").asInt()).isEqualTo(1);
        assertThat(refusedRestart.get("restarted").asBoolean(true)).isFalse();
        assertThat(refusedRestart.get("error").asText())
                .isEqualTo("variables set, but the restart failed: HTTP 400: Application has no destination server.");
        assertThat(document.at("/results/2/error").asText()).isEqualTo("HTTP 422: Invalid value for API_KEY: ***");
        assertThat(document.at("/results/2/vars_updated").asInt()).isZero();
        List<Recorded> updates = coolify.calls("PATCH", "/api/v1/applications/app-1/envs/bulk");
        assertThat(updates).hasSize(1);
        assertThat(Json.read(updates.get(0).body()))
                .isEqualTo(Json.read("{\"data\":[{\"key\":\"API_KEY\",\"value\":\"k-31337-rotated\"}]}"));
        assertThat(coolify.calls("POST", "/api/v1/applications/app-envs-refused/restart")).isEmpty();
    }

    @Test
    void should_refuse_to_retry_an_env_var_batch_when_the_values_are_not_given_again() {
        String first = document(callTool("batch_update_env_vars", Map.of("application_uuids", List.of("app-2", "app-unknown"),
                "env_vars", Map.of("TOKEN", "t-4242-first")))).get("batch_id").asText();

        JsonNode refused = callTool("retry_failed", Map.of("batch_id", first));
        JsonNode otherNames = callTool("retry_failed", Map.of("batch_id", first, "env_vars", Map.of("OTHER", "x")));
        JsonNode retried = callTool("retry_failed", Map.of("batch_id", first, "env_vars", Map.of("TOKEN", "t-4242-second")));

        assertThat(refused.get("isError").asBoolean()).isTrue();
        assertThat(text(refused)).contains("give env_vars again");
        assertThat(text(otherNames)).isEqualTo("env_vars: must set the same variables as batch " + first + ": TOKEN");
        assertThat(document(retried).at("/results/0/uuid").asText()).isEqualTo("app-unknown");
        assertThat(document(retried).get("env_vars").toString()).isEqualTo("{\"TOKEN\":\"***\"}");
    }

    @Test
    void should_answer_json_rpc_errors_with_http_200_when_the_method_is_unknown() {
        BatchgateTestApp.Response response = app.post("/mcp", Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/destroy"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(app.get("/mcp").status()).isEqualTo(405);
    }

    static JsonNode rpc(String method, Object params) {
        BatchgateTestApp.Response response = app.post("/mcp", Map.of("jsonrpc", "2.0", "id", REQUEST_IDS.incrementAndGet(),
                "method", method, "params", params), Map.of("Accept", "application/json, text/event-stream"));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    static JsonNode callTool(String name, Object arguments) {
        JsonNode answer = rpc("tools/call", Map.of("name", name, "arguments", arguments));
        assertThat(answer.has("result")).as(answer.toString()).isTrue();
        return answer.get("result");
    }

    static String text(JsonNode toolResult) {
        return toolResult.at("/content/0/text").asText();
    }

    static JsonNode document(JsonNode toolResult) {
        assertThat(toolResult.get("isError").asBoolean()).as(text(toolResult)).isFalse();
        return Json.read(text(toolResult));
    }
}
