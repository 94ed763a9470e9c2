package dev.batchgate.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.AwaitTiming;
import dev.batchgate.batch.ItemResult;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.batch.StepRecord;
import dev.batchgate.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The items table's result column: an {@link ItemResult} as the JSON document stored with the item,
 * and back. Batches stored by an earlier version resume on this format, so it only ever grows.
 */
public final class ResultColumn {

    private static final Set<String> KNOWN = Set.of("id", "status", "httpStatus", "attempts", "durationMs", "error",
            "response", "actMs", "settleMs", "check", "steps", "rollback");

    private ResultColumn() {
    }

    public static String write(ItemResult result) {
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
        writeAwait(node, details.await());
        if (details.check() != null) {
            node.put("check", details.check());
        }
        if (details.steps() != null) {
            node.set("steps", writeSteps(details.steps()));
        }
        if (details.fields() != null) {
            node.setAll(details.fields());
        }
        if (details.rollback() != null) {
            node.set("rollback", writeSteps(details.rollback()));
        }
        return node.toString();
    }

    /** The result stored for the item at {@code index}; null when it has none. Fields this class does not know stay as a facade's fields. */
    public static ItemResult read(int index, String json) {
        if (json == null) {
            return null;
        }
        ObjectNode doc = (ObjectNode) Json.read(json);
        ObjectNode fields = Json.object();
        doc.properties().forEach(field -> {
            if (!KNOWN.contains(field.getKey())) {
                fields.set(field.getKey(), field.getValue());
            }
        });
        ItemResult.Details details = new ItemResult.Details(readAwait(doc), text(doc, "check"), readSteps(doc.get("steps")),
                fields.isEmpty() ? null : fields, readSteps(doc.get("rollback")));
        return new ItemResult(index, doc.get("id"), ItemStatus.fromWire(doc.path("status").asText()), integer(doc, "httpStatus"),
                doc.path("attempts").asInt(), doc.path("durationMs").asLong(), text(doc, "error"), doc.get("response"), details);
    }

    private static ArrayNode writeSteps(List<StepRecord> steps) {
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
            writeAwait(node, step.await());
        }
        return array;
    }

    private static List<StepRecord> readSteps(JsonNode array) {
        if (array == null) {
            return null;
        }
        List<StepRecord> steps = new ArrayList<>();
        for (JsonNode step : array) {
            steps.add(new StepRecord(step.path("operation").asText(), text(step, "rollbackOf"),
                    ItemStatus.fromWire(step.path("status").asText()), integer(step, "httpStatus"), step.path("attempts").asInt(),
                    step.path("durationMs").asLong(), text(step, "error"), readAwait(step)));
        }
        return List.copyOf(steps);
    }

    private static void writeAwait(ObjectNode node, AwaitTiming await) {
        if (await != null) {
            node.put("actMs", await.actMs());
            node.put("settleMs", await.settleMs());
        }
    }

    private static AwaitTiming readAwait(JsonNode node) {
        return node.has("actMs") ? new AwaitTiming(node.path("actMs").asLong(), node.path("settleMs").asLong()) : null;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static Integer integer(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asInt() : null;
    }
}
