package dev.batchgate.facade.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.store.UsageStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The usage query's grouping. The store sums rows by its columns (and by the batch metadata text
 * when a {@code metadata.<key>} is asked for); this folds those partial sums into the groups the
 * caller named, so {@code groupBy=metadata.projectId} works on H2 and PostgreSQL alike.
 */
public final class UsageGroups {

    /** The plain columns {@code groupBy} may name, besides {@code metadata.<key>}. */
    public static final Set<String> COLUMNS = Set.of("operation", "model", "status", "batchId");

    private UsageGroups() {
    }

    /** True for a {@code groupBy} entry the query understands. */
    public static boolean isKnown(String key) {
        return COLUMNS.contains(key) || key.startsWith("metadata.") && key.length() > "metadata.".length();
    }

    /**
     * Folds store sums into one group per distinct value of {@code groupBy}, in a stable order.
     * A {@code metadata.<key>} value is read from the {@code metadata} column's JSON.
     */
    public static List<ObjectNode> fold(List<String> groupBy, List<UsageStore.Sums> rows) {
        Map<List<JsonNode>, UsageStore.Sums> groups = new LinkedHashMap<>();
        for (UsageStore.Sums row : rows) {
            List<JsonNode> key = new ArrayList<>();
            JsonNode metadata = null;
            for (String name : groupBy) {
                if (name.startsWith("metadata.")) {
                    if (metadata == null) {
                        String text = row.values().get("metadata");
                        metadata = text == null ? Json.object() : Json.read(text);
                    }
                    JsonNode value = metadata.get(name.substring("metadata.".length()));
                    key.add(value == null || value.isContainerNode() && value.isEmpty() ? Json.MAPPER.nullNode() : value);
                } else {
                    String value = row.values().get(name);
                    key.add(value == null ? Json.MAPPER.nullNode() : Json.MAPPER.getNodeFactory().textNode(value));
                }
            }
            groups.merge(key, row, UsageStore.Sums::plus);
        }
        List<ObjectNode> result = new ArrayList<>();
        groups.entrySet().stream().sorted(Comparator.comparing(e -> e.getKey().toString())).forEach(e -> {
            ObjectNode group = Json.object();
            for (int i = 0; i < groupBy.size(); i++) {
                group.set(groupBy.get(i), e.getKey().get(i));
            }
            put(group, e.getValue());
            result.add(group);
        });
        return result;
    }

    /** Everything added up. */
    public static ObjectNode totals(List<UsageStore.Sums> rows) {
        UsageStore.Sums total = new UsageStore.Sums(Map.of(), 0, 0, 0, 0, 0, BigDecimal.ZERO);
        for (UsageStore.Sums row : rows) {
            total = total.plus(row);
        }
        return put(Json.object(), total);
    }

    public static ArrayNode array(List<ObjectNode> groups) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        groups.forEach(array::add);
        return array;
    }

    private static ObjectNode put(ObjectNode node, UsageStore.Sums sums) {
        node.put("requests", sums.requests());
        node.put("inputTokens", sums.inputTokens());
        node.put("outputTokens", sums.outputTokens());
        node.put("costUsd", sums.costUsd().stripTrailingZeros());
        node.put("rateLimited", sums.rateLimited());
        node.put("failed", sums.failed());
        return node;
    }
}
