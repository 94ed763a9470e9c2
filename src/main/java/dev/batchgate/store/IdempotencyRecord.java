package dev.batchgate.store;

public record IdempotencyRecord(String key, String requestHash, String batchId, int statusCode) {
}
