package dev.batchgate.store;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** LLM calls, one row each, and the sums the usage query and a resumed batch's summary read. */
public interface UsageStore {

    void record(UsageRow row);

    /**
     * Sums of the rows since {@code since} (epoch ms), optionally of one batch, grouped by the columns
     * {@code groupBy} names ({@code operation}, {@code model}, {@code status}, {@code batchId}); every
     * {@code metadata.<key>} groups by the batch metadata's text, which the caller folds further.
     */
    List<Sums> sums(long since, String batchId, List<String> groupBy);

    /** Per model of one batch: calls by status and their tokens and cost. */
    List<ModelUsage> byModel(String batchId);

    /** Sums of one group; {@code values} holds each grouped column's value. */
    record Sums(Map<String, String> values, long requests, long rateLimited, long failed, long inputTokens,
            long outputTokens, BigDecimal costUsd) {

        public Sums plus(Sums other) {
            return new Sums(values, requests + other.requests, rateLimited + other.rateLimited, failed + other.failed,
                    inputTokens + other.inputTokens, outputTokens + other.outputTokens, costUsd.add(other.costUsd));
        }
    }

    record ModelUsage(String model, UsageRow.Status status, long calls, long inputTokens, long outputTokens, BigDecimal costUsd) {
    }
}
