package dev.batchgate.store;

/** An item row: its id and params as JSON text, its status, and its result document once final. */
public record StoredItem(int index, String idJson, String paramsJson, String status, String resultJson) {
}
