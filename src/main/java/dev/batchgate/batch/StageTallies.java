package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What each stage's items came to ({@code stages}): succeeded, failed, skipped, cancelled.
 * An item that succeeded in a stage of a chain goes on to the next; the items held back by
 * {@code stopOnFailure}, or still waiting when the batch stopped, count as cancelled in the stage
 * they were waiting for.
 */
public final class StageTallies {

    private static final List<ItemStatus> COUNTED = List.of(ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.SKIPPED,
            ItemStatus.CANCELLED);

    /** How many items have a status at a stage, as the job store counts them. */
    public record Count(ItemStatus status, int stage, int count) {
    }

    private final List<String> labels;
    private final AtomicIntegerArray counts;

    public StageTallies(List<String> labels) {
        this.labels = List.copyOf(labels);
        this.counts = new AtomicIntegerArray(labels.size() * COUNTED.size());
    }

    /**
     * The tallies of a batch read back from the job store before any rollback: an item past stage k
     * succeeded in it, an item still at stage k counts with its own status there.
     */
    public static StageTallies fromStore(List<String> labels, List<Count> stored) {
        StageTallies tallies = new StageTallies(labels);
        for (Count c : stored) {
            for (int stage = 0; stage < c.stage() && stage < labels.size(); stage++) {
                tallies.add(stage, ItemStatus.SUCCEEDED, c.count());
            }
            ItemStatus status = c.status() == ItemStatus.ROLLED_BACK || c.status() == ItemStatus.ROLLBACK_FAILED
                    ? ItemStatus.SUCCEEDED : c.status();
            tallies.add(c.stage(), status, c.count());
        }
        return tallies;
    }

    /** The tallies a summary showed ({@link #counts}), each count in its own stage. */
    public static StageTallies summarized(List<String> labels, List<Count> counts) {
        StageTallies tallies = new StageTallies(labels);
        counts.forEach(c -> tallies.add(c.stage(), c.status(), c.count()));
        return tallies;
    }

    /** The counts of a summary's {@code stages} section as {@link #toJson} wrote it (the job store keeps it for a rollback). */
    public static List<Count> counts(JsonNode stages) {
        List<Count> counts = new ArrayList<>();
        for (int stage = 0; stage < stages.size(); stage++) {
            for (ItemStatus status : COUNTED) {
                counts.add(new Count(status, stage, stages.get(stage).path(status.wire()).asInt()));
            }
        }
        return counts;
    }

    /** Counts {@code n} items ending {@code status} at {@code stage}; statuses outside the tally are ignored. */
    public void add(int stage, ItemStatus status, int n) {
        int column = COUNTED.indexOf(status);
        if (column >= 0 && stage >= 0 && stage < labels.size()) {
            counts.addAndGet(stage * COUNTED.size() + column, n);
        }
    }

    public int count(int stage, ItemStatus status) {
        return counts.get(stage * COUNTED.size() + COUNTED.indexOf(status));
    }

    public ArrayNode toJson() {
        ArrayNode stages = Json.MAPPER.createArrayNode();
        for (int stage = 0; stage < labels.size(); stage++) {
            ObjectNode node = stages.addObject();
            node.put("operation", labels.get(stage));
            for (ItemStatus status : COUNTED) {
                node.put(status.wire(), count(stage, status));
            }
        }
        return stages;
    }
}
