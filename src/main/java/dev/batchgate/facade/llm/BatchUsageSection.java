package dev.batchgate.facade.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.SummarySection;
import dev.batchgate.json.Json;
import dev.batchgate.store.UsageRow;
import dev.batchgate.store.UsageStore;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code llm} section an LLM batch's summary adds: calls, total tokens, cost, and per model how
 * many calls succeeded, were refused for quota, or failed. Immutable: each call makes a new one.
 *
 * @param models by model, in the order they were first called
 */
public record BatchUsageSection(long calls, long inputTokens, long outputTokens, BigDecimal costUsd,
        Map<String, ModelCalls> models) implements SummarySection {

    public static final String FIELD = "llm";

    /** One model's calls by how they ended. */
    public record ModelCalls(long calls, long succeeded, long rateLimited, long failed) {

        static final ModelCalls NONE = new ModelCalls(0, 0, 0, 0);

        ModelCalls add(UsageRow.Status status, long n) {
            return switch (status) {
                case SUCCEEDED -> new ModelCalls(calls + n, succeeded + n, rateLimited, failed);
                case RATE_LIMITED -> new ModelCalls(calls + n, succeeded, rateLimited + n, failed);
                case FAILED -> new ModelCalls(calls + n, succeeded, rateLimited, failed + n);
            };
        }
    }

    public static BatchUsageSection empty() {
        return new BatchUsageSection(0, 0, 0, BigDecimal.ZERO, Map.of());
    }

    /** The section of a batch from its usage rows (a batch resumed after a restart continues from it). */
    public static BatchUsageSection of(List<UsageStore.ModelUsage> rows) {
        BatchUsageSection section = empty();
        for (UsageStore.ModelUsage row : rows) {
            section = section.add(row.model(), row.status(), row.calls(), row.inputTokens(), row.outputTokens(), row.costUsd());
        }
        return section;
    }

    /** Counts {@code n} calls of {@code model} that ended {@code status}. */
    public BatchUsageSection add(String model, UsageRow.Status status, long n, long addedInput, long addedOutput, BigDecimal addedCost) {
        Map<String, ModelCalls> byModel = new LinkedHashMap<>(models);
        byModel.put(model, byModel.getOrDefault(model, ModelCalls.NONE).add(status, n));
        return new BatchUsageSection(calls + n, inputTokens + addedInput, outputTokens + addedOutput,
                costUsd.add(addedCost).stripTrailingZeros(), Collections.unmodifiableMap(byModel));
    }

    @Override
    public String field() {
        return FIELD;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode section = Json.object();
        section.put("calls", calls);
        ObjectNode tokens = section.putObject("tokens");
        tokens.put("input", inputTokens);
        tokens.put("output", outputTokens);
        tokens.put("total", inputTokens + outputTokens);
        section.put("costUsd", costUsd);
        ObjectNode byModel = section.putObject("models");
        models.forEach((model, counts) -> {
            ObjectNode node = byModel.putObject(model);
            node.put("calls", counts.calls());
            node.put("succeeded", counts.succeeded());
            node.put("rateLimited", counts.rateLimited());
            node.put("failed", counts.failed());
        });
        return section;
    }
}
