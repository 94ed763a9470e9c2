package dev.batchgate.facade.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import java.math.BigDecimal;
import java.util.List;

/**
 * The {@code llm} section an LLM batch's summary adds: calls, total tokens, cost, and per model how
 * many calls succeeded, were refused for quota, or failed.
 */
public final class BatchUsageSection {

    public static final String FIELD = "llm";

    private BatchUsageSection() {
    }

    public static ObjectNode empty() {
        ObjectNode section = Json.object();
        section.put("calls", 0);
        ObjectNode tokens = section.putObject("tokens");
        tokens.put("input", 0);
        tokens.put("output", 0);
        tokens.put("total", 0);
        section.put("costUsd", BigDecimal.ZERO);
        section.putObject("models");
        return section;
    }

    /** The section of a batch from its usage rows (a batch resumed after a restart continues from it). */
    public static ObjectNode of(List<UsageStore.ModelUsage> rows) {
        ObjectNode section = empty();
        for (UsageStore.ModelUsage row : rows) {
            add(section, row.model(), row.status(), row.calls(), row.inputTokens(), row.outputTokens(), row.costUsd());
        }
        return section;
    }

    /** Counts {@code calls} calls of {@code model} that ended {@code status} (a {@link UsageRow} status). */
    public static void add(ObjectNode section, String model, String status, long calls, long inputTokens, long outputTokens,
                           BigDecimal costUsd) {
        section.put("calls", section.path("calls").asLong() + calls);
        ObjectNode tokens = (ObjectNode) section.get("tokens");
        tokens.put("input", tokens.path("input").asLong() + inputTokens);
        tokens.put("output", tokens.path("output").asLong() + outputTokens);
        tokens.put("total", tokens.path("input").asLong() + tokens.path("output").asLong());
        section.put("costUsd", section.path("costUsd").decimalValue().add(costUsd).stripTrailingZeros());
        ObjectNode models = (ObjectNode) section.get("models");
        ObjectNode counts = models.has(model) ? (ObjectNode) models.get(model) : newCounts(models.putObject(model));
        String counter = switch (status) {
            case UsageRow.SUCCEEDED -> "succeeded";
            case UsageRow.RATE_LIMITED -> "rateLimited";
            default -> "failed";
        };
        counts.put("calls", counts.path("calls").asLong() + calls);
        counts.put(counter, counts.path(counter).asLong() + calls);
    }

    private static ObjectNode newCounts(ObjectNode counts) {
        counts.put("calls", 0);
        counts.put("succeeded", 0);
        counts.put("rateLimited", 0);
        counts.put("failed", 0);
        return counts;
    }
}
