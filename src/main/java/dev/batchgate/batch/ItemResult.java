package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import java.util.List;

/**
 * The outcome of one item. {@code extra} holds what some batches add (composite {@code steps},
 * {@code actMs}/{@code settleMs} of awaits, facade fields) and is merged into the item's JSON.
 */
public record ItemResult(
        int index,
        JsonNode id,
        ItemStatus status,
        Integer httpStatus,
        int attempts,
        long durationMs,
        String error,
        JsonNode response,
        ObjectNode extra) {

    public static ItemResult cancelled(BatchItem item) {
        return new ItemResult(item.index(), item.id(), ItemStatus.CANCELLED, null, 0, 0, null, null, null);
    }

    /** A result document read back (a rollback builds on it): the known fields, everything else kept in {@code extra}. */
    public static ItemResult fromJson(int index, JsonNode id, ObjectNode doc) {
        ObjectNode extra = doc.deepCopy();
        extra.remove(List.of("id", "status", "httpStatus", "attempts", "durationMs", "error", "response"));
        return new ItemResult(index, id, ItemStatus.fromWire(doc.path("status").asText()),
                doc.hasNonNull("httpStatus") ? doc.get("httpStatus").asInt() : null, doc.path("attempts").asInt(),
                doc.path("durationMs").asLong(), doc.hasNonNull("error") ? doc.get("error").asText() : null,
                doc.get("response"), extra.isEmpty() ? null : extra);
    }

    public ItemResult withStatus(ItemStatus newStatus, String newError) {
        return new ItemResult(index, id, newStatus, httpStatus, attempts, durationMs, newError, response, extra);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.set("id", id);
        node.put("status", status.wire());
        if (httpStatus != null) {
            node.put("httpStatus", httpStatus);
        }
        node.put("attempts", attempts);
        node.put("durationMs", durationMs);
        if (error != null) {
            node.put("error", error);
        }
        if (response != null) {
            node.set("response", response);
        }
        if (extra != null) {
            node.setAll(extra);
        }
        return node;
    }
}
