package dev.batchgate.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BatchStatus;

/** A batch row as the job store keeps it. Times are epoch milliseconds; null when not reached yet. */
public record BatchRecord(
        String id,
        String target,
        String operation,
        String specJson,
        BatchStatus status,
        String reason,
        int total,
        Counts counts,
        String trigger,
        String retryOf,
        long createdAt,
        Long startedAt,
        Long finishedAt,
        ObjectNode extra) {

    public BatchRecord withCounts(Counts counts) {
        return new BatchRecord(id, target, operation, specJson, status, reason, total, counts, trigger, retryOf, createdAt, startedAt,
                finishedAt, extra);
    }

    /** Final item counts as stored on the batch row. */
    public record Counts(int succeeded, int failed, int skipped, int cancelled, int rolledBack, int rollbackFailed) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0);
    }
}
