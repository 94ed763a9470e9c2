package dev.batchgate.batch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.store.BatchRecord;
import java.time.Duration;
import java.time.Instant;

/** Builds the summary document from a live run or a stored batch row. */
public final class BatchSummaries {

    private BatchSummaries() {
    }

    public static ObjectNode live(BatchRun run, ArrayNode results) {
        StopReason reason = run.reportedReason();
        ObjectNode doc = header(run.id(), run.spec(), run.status().wire(), reason == null ? null : reason.wire(), run.total());
        PhasePlan.Phase phase = run.phase();
        if (phase != null && !run.status().isFinished() && (run.plan().phasesPerItem() > 1 || phase.kind() == PhasePlan.Kind.ROLLBACK)) {
            doc.put("phase", phase.kind() == PhasePlan.Kind.RUN && run.plan().isChain()
                    ? "stage " + (phase.stage() + 1) + " of " + run.plan().stages().size() : phase.storedName());
        }
        ObjectNode counts = Json.object();
        int[] now = run.counts();
        for (ItemStatus status : ItemStatus.values()) {
            counts.put(status.counterName(), now[status.ordinal()]);
        }
        doc.put("effectiveConcurrency", run.effectiveConcurrency());
        long[] work = run.work();
        times(doc, counts, run.total(), work[0], work[1], run.createdAt(), run.startedAt(), run.finishedAt(),
                run.status().isFinished());
        doc.setAll(run.sections());
        if (results != null) {
            doc.set("results", results);
        }
        return doc;
    }

    public static ObjectNode stored(BatchRecord record, ArrayNode results) {
        BatchSpec spec = BatchRequestParser.readSpec(record.specJson());
        ObjectNode doc = header(record.id(), spec, record.status().wire(), record.reason(), record.total());
        BatchRecord.Counts c = record.counts();
        boolean finished = record.status().isFinished();
        int done = c.succeeded() + c.failed() + c.skipped() + c.cancelled() + c.rolledBack() + c.rollbackFailed();
        ObjectNode counts = Json.object();
        counts.put("pending", record.total() - done);
        counts.put("running", 0);
        counts.put("succeeded", c.succeeded());
        counts.put("failed", c.failed());
        counts.put("skipped", c.skipped());
        counts.put("cancelled", c.cancelled());
        counts.put("rolledBack", c.rolledBack());
        counts.put("rollbackFailed", c.rollbackFailed());
        times(doc, counts, record.total(), done, record.total(), Instant.ofEpochMilli(record.createdAt()),
                record.startedAt() == null ? null : Instant.ofEpochMilli(record.startedAt()),
                record.finishedAt() == null ? null : Instant.ofEpochMilli(record.finishedAt()), finished);
        if (record.extra() != null) {
            doc.setAll(record.extra());
        }
        if (results != null) {
            doc.set("results", results);
        }
        return doc;
    }

    private static ObjectNode header(String id, BatchSpec spec, String status, String reason, int total) {
        ObjectNode doc = Json.object();
        doc.put("id", id);
        doc.put("target", spec.target());
        if (!spec.stages().isEmpty()) {
            doc.set("steps", Json.MAPPER.valueToTree(spec.stages()));
        } else if (spec.operations().size() == 1) {
            doc.put("operation", spec.operations().get(0));
        } else {
            doc.set("operation", Json.MAPPER.valueToTree(spec.operations()));
        }
        doc.put("status", status);
        if (reason != null) {
            doc.put("reason", reason);
        }
        doc.put("trigger", spec.trigger());
        if (spec.retryOf() != null) {
            doc.put("retryOf", spec.retryOf());
        }
        if (spec.metadata() != null) {
            doc.set("metadata", spec.metadata());
        }
        doc.put("total", total);
        return doc;
    }

    /**
     * Progress, rate and ETA from the work done and planned: item passes (an item's checks, each
     * stage of a chain, its rollback), so a multi-phase batch moves on steadily; the rate is in items
     * that ran (not cancelled ones) per minute.
     */
    private static void times(ObjectNode doc, ObjectNode counts, int total, long doneWork, long plannedWork, Instant createdAt,
            Instant startedAt, Instant finishedAt, boolean isFinished) {
        doc.setAll(counts);
        double share = plannedWork == 0 || isFinished ? 1.0 : Math.min(1.0, (double) doneWork / plannedWork);
        double finished = share * total;
        doc.put("progress", Math.round(share * 1000.0) / 10.0);
        doc.put("createdAt", createdAt.toString());
        doc.put("startedAt", startedAt == null ? null : startedAt.toString());
        doc.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        Instant end = finishedAt != null ? finishedAt : Instant.now();
        Long durationMs = startedAt == null ? null : Duration.between(startedAt, end).toMillis();
        doc.put("durationMs", durationMs);
        // a cancelled item never ran: counting it would show a stopped batch as fast as its cancel
        double ran = Math.max(0, finished - counts.path("cancelled").asInt());
        Double rate = durationMs == null || durationMs == 0 ? null : Math.round(ran * 600_000.0 / durationMs) / 10.0;
        doc.put("ratePerMinute", rate);
        if (isFinished || rate == null || rate == 0) {
            doc.putNull("etaMs");
        } else {
            doc.put("etaMs", Math.round((total - finished) / (ran / durationMs)));
        }
    }
}
