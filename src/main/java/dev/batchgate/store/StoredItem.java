package dev.batchgate.store;

import dev.batchgate.batch.ItemStatus;

/** An item row: its id and params as JSON text, its status, and its result document once final. */
public record StoredItem(int index, String idJson, String paramsJson, ItemStatus status, String resultJson) {
}
