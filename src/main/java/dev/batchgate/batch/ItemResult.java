package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The outcome of one item; {@code details} holds what some items add (an await's timings, the check
 * that stopped it, the steps of a composite or chain, its rollback, a facade's own fields). The JSON of
 * the job store's result column is {@code dev.batchgate.store.ResultColumn}'s, the API's {@link ResultDocument}'s.
 */
public record ItemResult(
        int index,
        JsonNode id,
        ItemStatus status,
        Integer httpStatus,
        int attempts,
        long durationMs,
        String error,
        JsonNode response,
        Details details) {

    public ItemResult {
        details = details == null ? Details.NONE : details;
    }

    /**
     * @param await    the timings of a single awaited operation, or null
     * @param check    the operation whose check ended the item in a transaction's checks phase, or null
     * @param steps    what each operation of a composite or chain did, or null for a single operation
     * @param fields   a facade's own fields (an LLM answer, a Coolify deployment), shown as they are, or null
     * @param rollback what the rollback of the item's changes did, or null when it was not rolled back
     */
    public record Details(AwaitTiming await, String check, List<StepRecord> steps, ObjectNode fields,
            List<StepRecord> rollback) {

        public static final Details NONE = new Details(null, null, null, null, null);

        public static Details fields(ObjectNode fields) {
            return fields == null ? NONE : new Details(null, null, null, fields, null);
        }

        static Details awaited(AwaitTiming await) {
            return await == null ? NONE : new Details(await, null, null, null, null);
        }

        static Details checked(String operation) {
            return new Details(null, operation, null, null, null);
        }

        static Details steps(List<StepRecord> steps) {
            return new Details(null, null, List.copyOf(steps), null, null);
        }

        Details withRollback(List<StepRecord> record) {
            return new Details(await, check, steps, fields, List.copyOf(record));
        }
    }

    public static ItemResult cancelled(BatchItem item) {
        return new ItemResult(item.index(), item.id(), ItemStatus.CANCELLED, null, 0, 0, null, null, null);
    }

    public ItemResult withStatus(ItemStatus newStatus, String newError) {
        return new ItemResult(index, id, newStatus, httpStatus, attempts, durationMs, newError, response, details);
    }

    ItemResult withRollback(ItemStatus newStatus, String newError, List<StepRecord> record) {
        return new ItemResult(index, id, newStatus, httpStatus, attempts, durationMs, newError, response,
                details.withRollback(record));
    }
}
