package dev.batchgate.store;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * One LLM call as the job store keeps it.
 *
 * @param itemIdJson   the item id as JSON ({@code "a"} or {@code 1})
 * @param metadataJson the batch's metadata, or null
 */
public record UsageRow(
        String batchId,
        int itemIndex,
        String itemIdJson,
        String operation,
        String model,
        Status status,
        Integer httpStatus,
        long inputTokens,
        long outputTokens,
        BigDecimal costUsd,
        long latencyMs,
        String error,
        String metadataJson,
        long createdAt) {

    /** How the call ended; stored (and grouped by) as {@link #wire()}. */
    public enum Status {
        SUCCEEDED, RATE_LIMITED, FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWire(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }
}
