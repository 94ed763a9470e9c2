package dev.batchgate.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * Everything about a batch but its items (which may be millions and are streamed through the job
 * store). Stored as JSON with the batch so that a restart can resume it.
 *
 * @param operations one operation, or several run in order on each item (composite)
 * @param stages     a chain: whole stages run one after another; empty when not a chain
 */
public record BatchSpec(
        String target,
        List<String> operations,
        List<Stage> stages,
        Mode mode,
        Integer concurrency,
        ObjectNode params,
        boolean failFast,
        Double maxFailurePercent,
        boolean transaction,
        boolean dryRun,
        Duration deadline,
        String trigger,
        String retryOf,
        ObjectNode metadata) {

    public enum Mode { ASYNC, SYNC }

    public record Stage(String operation, boolean stopOnFailure) {
    }

    /** How the batch is named in lists: {@code start}, {@code start+verify} or {@code stop>start}. */
    public String operationLabel() {
        if (!stages.isEmpty()) {
            return String.join(">", stages.stream().map(Stage::operation).toList());
        }
        return String.join("+", operations);
    }
}
