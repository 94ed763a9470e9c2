package dev.batchgate.facade.coolify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolDocumentTest {

    @Test
    void should_count_skipped_items_as_successful_and_unfinished_ones_as_pending_when_folding_results() {
        List<JsonNode> results = List.of(
                Json.read("{\"id\":\"a\",\"status\":\"succeeded\",\"attempts\":2,\"deployment_uuid\":\"d-1\"}"),
                Json.read("{\"id\":\"b\",\"status\":\"skipped\",\"skipped\":true}"),
                Json.read("{\"id\":\"c\",\"status\":\"failed\",\"error\":\"HTTP 404: Resource not found.\"}"),
                Json.read("{\"id\":\"d\",\"status\":\"pending\"}"));

        JsonNode document = ToolDocument.of("b-1", null, results);

        assertThat(document).isEqualTo(Json.read("""
                {"total": 4, "successful": 2, "failed": 1, "pending": 1,
                 "results": [{"uuid": "a", "status": "success", "deployment_uuid": "d-1"},
                             {"uuid": "b", "status": "success", "skipped": true},
                             {"uuid": "c", "status": "failed", "error": "HTTP 404: Resource not found."},
                             {"uuid": "d", "status": "pending"}],
                 "batch_id": "b-1",
                 "message": "batch b-1 is still running with 1 of 4 items pending; call get_batch with this batch_id for the rest"}
                """));
    }

    @Test
    void should_name_the_variables_with_masked_values_when_the_batch_set_env_vars() {
        JsonNode document = ToolDocument.of("b-2", List.of("API_KEY", "DATABASE_URL"),
                List.of(Json.read("{\"id\":\"a\",\"status\":\"cancelled\",\"vars_updated\":0}")));

        assertThat(document.get("env_vars")).isEqualTo(Json.read("{\"API_KEY\":\"***\",\"DATABASE_URL\":\"***\"}"));
        assertThat(document.get("vars_count").asInt()).isEqualTo(2);
        assertThat(document.at("/results/0/error").asText()).isEqualTo("cancelled: batch b-2 stopped before this item finished");
        assertThat(document.at("/results/0/vars_updated").asInt()).isZero();
    }
}
