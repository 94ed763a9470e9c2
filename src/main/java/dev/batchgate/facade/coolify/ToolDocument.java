package dev.batchgate.facade.coolify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import java.util.List;

/**
 * The tools' answer, {@code {total, successful, failed, results: [{uuid, status, error?, ...}]}},
 * built from a batch's item results; plus the batch id, and for {@code batch_update_env_vars} the
 * variable names with masked values and their count.
 */
final class ToolDocument {

    static final String MASK = "***";

    private static final List<String> ITEM_FIELDS = List.of("vars_updated", "restarted", "deployment_uuid", "skipped");

    private ToolDocument() {
    }

    /**
     * @param envVarNames the variables a {@code batch_update_env_vars} batch sets, else null
     * @param itemResults the batch's item results in input order, as the engine reports them
     */
    static ObjectNode of(String batchId, List<String> envVarNames, Iterable<JsonNode> itemResults) {
        ArrayNode results = Json.MAPPER.createArrayNode();
        int successful = 0;
        int failed = 0;
        int pending = 0;
        for (JsonNode item : itemResults) {
            ObjectNode entry = results.addObject();
            entry.put("uuid", item.path("id").asText());
            String status = item.path("status").asText();
            switch (status) {
                case "succeeded", "skipped" -> {
                    entry.put("status", "success");
                    successful++;
                }
                case "pending", "running" -> {
                    entry.put("status", "pending");
                    pending++;
                }
                default -> {
                    entry.put("status", "failed");
                    entry.put("error", item.hasNonNull("error") ? item.get("error").asText()
                            : status + ": batch " + batchId + " stopped before this item finished");
                    failed++;
                }
            }
            for (String field : ITEM_FIELDS) {
                if (item.has(field)) {
                    entry.set(field, item.get(field));
                }
            }
        }
        ObjectNode document = Json.object();
        document.put("total", results.size());
        document.put("successful", successful);
        document.put("failed", failed);
        if (pending > 0) {
            document.put("pending", pending);
        }
        if (envVarNames != null) {
            ObjectNode masked = document.putObject("env_vars");
            envVarNames.forEach(name -> masked.put(name, MASK));
            document.put("vars_count", envVarNames.size());
        }
        document.set("results", results);
        document.put("batch_id", batchId);
        if (pending > 0) {
            document.put("message", "batch " + batchId + " is still running with " + pending + " of " + results.size()
                    + " items pending; call get_batch with this batch_id for the rest");
        }
        return document;
    }
}
