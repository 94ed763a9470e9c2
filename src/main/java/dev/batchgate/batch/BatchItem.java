package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One item of a batch: its position, its id exactly as the caller gave it (a string or an integer),
 * and its params (the batch's defaults already merged under the item's own).
 */
public record BatchItem(int index, JsonNode id, ObjectNode params) {

    /** The id as text: what placeholders and uniqueness use. */
    public String key() {
        return id.asText();
    }
}
