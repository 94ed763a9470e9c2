package dev.batchgate.batch;

import dev.batchgate.target.OperationConfig;
import dev.batchgate.target.TargetConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The phases a batch runs through, each one pass over the items it concerns: the checks (only a
 * transaction runs every check before anything changes), one run phase per stage (one for a plain or
 * composite batch, one per step of a chain), and, for a transaction that stopped, the rollback.
 * The Camel flow loops over these phases with one split each.
 */
public final class PhasePlan {

    public enum Kind { CHECKS, RUN, ROLLBACK }

    /** What each item runs in one stage: its operations in order (several for a composite). */
    public record Stage(List<String> operations, boolean stopOnFailure) {
    }

    /** One phase; {@code stage} is the run phase's stage (0 for the others). */
    public record Phase(Kind kind, int stage, boolean lastStage) {

        /** The name kept in the job store so that a restart resumes in this phase. */
        public String storedName() {
            return switch (kind) {
                case CHECKS -> "checks";
                case RUN -> "run";
                case ROLLBACK -> "rollback";
            };
        }

        /**
         * The status an item holds once this phase is done with it: an item that passed its checks,
         * or a stage of a chain that has more, is pending again for what comes next.
         */
        public ItemStatus statusAfter(ItemStatus outcome) {
            return switch (kind) {
                case CHECKS -> outcome == ItemStatus.SUCCEEDED || outcome == ItemStatus.CANCELLED ? ItemStatus.PENDING : outcome;
                case RUN -> outcome == ItemStatus.SUCCEEDED && !lastStage ? ItemStatus.PENDING : outcome;
                case ROLLBACK -> outcome;
            };
        }

        /** The stage the item is at after this phase. */
        public int stageAfter(ItemStatus outcome) {
            return kind == Kind.RUN && outcome == ItemStatus.SUCCEEDED && !lastStage ? stage + 1 : stage;
        }

        /** A passed check leaves nothing to store: the item is simply still pending. */
        public boolean storesResult(ItemStatus outcome) {
            return kind != Kind.CHECKS || statusAfter(outcome) != ItemStatus.PENDING;
        }
    }

    /** What follows a phase: the next one (null when the batch is done), and a reason to stop the batch with. */
    public record Next(Phase phase, StopReason stop) {
    }

    private final List<Stage> stages;
    private final boolean chain;
    private final boolean transaction;
    private final List<String> checkedOperations;

    private PhasePlan(List<Stage> stages, boolean chain, boolean transaction, List<String> checkedOperations) {
        this.stages = stages;
        this.chain = chain;
        this.transaction = transaction;
        this.checkedOperations = checkedOperations;
    }

    public static PhasePlan of(BatchSpec spec, TargetConfig target) {
        List<Stage> stages = new ArrayList<>();
        if (spec.stages().isEmpty()) {
            stages.add(new Stage(List.copyOf(spec.operations()), false));
        } else {
            spec.stages().forEach(s -> stages.add(new Stage(List.of(s.operation()), s.stopOnFailure())));
        }
        Set<String> checked = new LinkedHashSet<>();
        for (Stage stage : stages) {
            for (String name : stage.operations()) {
                OperationConfig op = target.operation(name);
                if (op != null && op.check() != null) {
                    checked.add(name);
                }
            }
        }
        return new PhasePlan(List.copyOf(stages), !spec.stages().isEmpty(), spec.transaction(), List.copyOf(checked));
    }

    public List<Stage> stages() {
        return stages;
    }

    public Stage stage(int index) {
        return stages.get(index);
    }

    public boolean isChain() {
        return chain;
    }

    /** A transaction runs every check before the first changing call; other batches check each item just before its call. */
    public boolean checksFirst() {
        return transaction && !checkedOperations.isEmpty();
    }

    /** The operations with a check, in the order the batch runs them. */
    public List<String> checkedOperations() {
        return checkedOperations;
    }

    /** Passes over each item if nothing stops early: its checks, then each stage. */
    public int phasesPerItem() {
        return (checksFirst() ? 1 : 0) + stages.size();
    }

    /** The phase a batch starts in; a resumed batch starts in the phase the job store says it was in. */
    public Next first(String storedPhase) {
        if ("rollback".equals(storedPhase) && transaction) {
            return new Next(new Phase(Kind.ROLLBACK, 0, true), null);
        }
        if (checksFirst() && (storedPhase == null || storedPhase.equals("checks"))) {
            return new Next(new Phase(Kind.CHECKS, 0, false), null);
        }
        return new Next(run(0), null);
    }

    /**
     * What follows {@code done}. A stopped batch ends, or rolls back when it is a transaction; a chain
     * stage with failures and {@code stopOnFailure} ends the chain; otherwise the next stage runs.
     */
    public Next next(Phase done, boolean stopped, int stageFailures) {
        if (done.kind() == Kind.ROLLBACK) {
            return new Next(null, null);
        }
        if (stopped) {
            return new Next(transaction ? new Phase(Kind.ROLLBACK, 0, true) : null, null);
        }
        if (done.kind() == Kind.CHECKS) {
            return new Next(run(0), null);
        }
        if (stageFailures > 0 && stages.get(done.stage()).stopOnFailure() && !done.lastStage()) {
            return new Next(null, StopReason.STOP_ON_FAILURE);
        }
        return new Next(done.lastStage() ? null : run(done.stage() + 1), null);
    }

    private Phase run(int stage) {
        return new Phase(Kind.RUN, stage, stage == stages.size() - 1);
    }
}
