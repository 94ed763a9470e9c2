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
 * @see #builder(String, String) how a batch is made: each site names what it sets, the defaults are here
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

    /** A plain batch of {@code operation} on {@code target}: asynchronous, no limits, no transaction. */
    public static Builder builder(String target, String operation) {
        return new Builder(target).operations(List.of(operation));
    }

    /** A batch on {@code target} whose operations or stages are set next. */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** This batch as the start of another (a retry keeps what it does not change). */
    public Builder toBuilder() {
        return new Builder(target).operations(operations).stages(stages).mode(mode).concurrency(concurrency).params(params)
                .failFast(failFast).maxFailurePercent(maxFailurePercent).transaction(transaction).dryRun(dryRun)
                .deadline(deadline).trigger(trigger).retryOf(retryOf).metadata(metadata);
    }

    /** Sets what a batch does differently from the defaults. */
    public static final class Builder {
        private final String target;
        private List<String> operations = List.of();
        private List<Stage> stages = List.of();
        private Mode mode = Mode.ASYNC;
        private Integer concurrency;
        private ObjectNode params;
        private boolean failFast;
        private Double maxFailurePercent;
        private boolean transaction;
        private boolean dryRun;
        private Duration deadline;
        private String trigger;
        private String retryOf;
        private ObjectNode metadata;

        private Builder(String target) {
            this.target = target;
        }

        public Builder operations(List<String> value) {
            operations = value;
            return this;
        }

        public Builder stages(List<Stage> value) {
            stages = value;
            return this;
        }

        public Builder mode(Mode value) {
            mode = value;
            return this;
        }

        public Builder concurrency(Integer value) {
            concurrency = value;
            return this;
        }

        public Builder params(ObjectNode value) {
            params = value;
            return this;
        }

        public Builder failFast(boolean value) {
            failFast = value;
            return this;
        }

        public Builder maxFailurePercent(Double value) {
            maxFailurePercent = value;
            return this;
        }

        public Builder transaction(boolean value) {
            transaction = value;
            return this;
        }

        public Builder dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        public Builder deadline(Duration value) {
            deadline = value;
            return this;
        }

        public Builder trigger(String value) {
            trigger = value;
            return this;
        }

        public Builder retryOf(String value) {
            retryOf = value;
            return this;
        }

        public Builder metadata(ObjectNode value) {
            metadata = value;
            return this;
        }

        public BatchSpec build() {
            return new BatchSpec(target, operations, stages, mode, concurrency, params, failFast, maxFailurePercent, transaction,
                    dryRun, deadline, trigger, retryOf, metadata);
        }
    }

    /** How the batch is named in lists: {@code start}, {@code start+verify} or {@code stop>start}. */
    public String operationLabel() {
        if (!stages.isEmpty()) {
            return String.join(">", stages.stream().map(Stage::operation).toList());
        }
        return String.join("+", operations);
    }
}
