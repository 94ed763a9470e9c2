package dev.batchgate.facade.llm;

import java.math.BigDecimal;

/**
 * One LLM call as the job store keeps it.
 *
 * @param itemIdJson   the item id as JSON ({@code "a"} or {@code 1})
 * @param status       {@link #SUCCEEDED}, {@link #RATE_LIMITED} or {@link #FAILED}
 * @param metadataJson the batch's metadata, or null
 */
public record UsageRow(
        String batchId,
        int itemIndex,
        String itemIdJson,
        String operation,
        String model,
        String status,
        Integer httpStatus,
        long inputTokens,
        long outputTokens,
        BigDecimal costUsd,
        long latencyMs,
        String error,
        String metadataJson,
        long createdAt) {

    public static final String SUCCEEDED = "succeeded";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String FAILED = "failed";
}
