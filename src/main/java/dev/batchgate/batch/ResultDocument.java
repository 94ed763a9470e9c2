package dev.batchgate.batch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import java.util.List;

/**
 * An item's result as the API shows it (results, exports, facades). It reads like the stored column
 * today, but is its own format: the column can change without a response changing, and the other way round.
 */
public final class ResultDocument {

    private ResultDocument() {
    }

    public static ObjectNode of(ItemResult result) {
        ObjectNode node = Json.object();
        node.set("id", result.id());
        node.put("status", result.status().wire());
        if (result.httpStatus() != null) {
            node.put("httpStatus", result.httpStatus());
        }
        node.put("attempts", result.attempts());
        node.put("durationMs", result.durationMs());
        if (result.error() != null) {
            node.put("error", result.error());
        }
        if (result.response() != null) {
            node.set("response", result.response());
        }
        ItemResult.Details details = result.details();
        await(node, details.await());
        if (details.check() != null) {
            node.put("check", details.check());
        }
        if (details.steps() != null) {
            node.set("steps", steps(details.steps()));
        }
        if (details.fields() != null) {
            node.setAll(details.fields());
        }
        if (details.rollback() != null) {
            node.set("rollback", steps(details.rollback()));
        }
        return node;
    }

    private static ArrayNode steps(List<StepRecord> steps) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (StepRecord step : steps) {
            ObjectNode node = array.addObject();
            node.put("operation", step.operation());
            if (step.rollbackOf() != null) {
                node.put("rollbackOf", step.rollbackOf());
            }
            node.put("status", step.status().wire());
            if (step.httpStatus() != null) {
                node.put("httpStatus", step.httpStatus());
            }
            node.put("attempts", step.attempts());
            node.put("durationMs", step.durationMs());
            if (step.error() != null) {
                node.put("error", step.error());
            }
            await(node, step.await());
        }
        return array;
    }

    private static void await(ObjectNode node, AwaitTiming await) {
        if (await != null) {
            node.put("actMs", await.actMs());
            node.put("settleMs", await.settleMs());
        }
    }
}
