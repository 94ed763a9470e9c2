package dev.batchgate.batch;

import java.util.List;

/**
 * One item handed to the current phase: the status it had in the job store, its stored result when
 * the phase builds on it (the earlier stages of a chain, the calls a rollback undoes), and for a
 * rollback the operations to undo, last first.
 */
public record WorkItem(BatchItem item, ItemStatus from, ItemResult previous, List<String> undo) {

    public static WorkItem pending(BatchItem item, ItemResult previous) {
        return new WorkItem(item, ItemStatus.PENDING, previous, List.of());
    }
}
