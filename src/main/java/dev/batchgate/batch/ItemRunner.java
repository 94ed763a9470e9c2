package dev.batchgate.batch;

import dev.batchgate.target.OperationConfig;
import dev.batchgate.target.ResolvedRequest;
import dev.batchgate.target.TargetCaller;
import dev.batchgate.target.TargetConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Runs one item in its batch's current phase: a registered procedure, or the {@link StepRunner}'s
 * checks, steps, chain stages and rollbacks, whose every request goes through {@link TargetCalls}
 * (the rate limiter, retries, backoff and jitter). Never throws for a downstream problem: every
 * outcome becomes an {@link ItemResult}, so one item cannot affect another.
 */
public final class ItemRunner {

    private final TargetCalls calls;
    private final StepRunner steps;
    private final Map<String, ItemProcedure> procedures = new ConcurrentHashMap<>();

    public ItemRunner(TargetCaller caller) {
        this.calls = new TargetCalls(caller);
        this.steps = new StepRunner(calls);
    }

    /** Who hears of every attempt (the metrics). */
    public void observeCalls(CallObserver observer) {
        calls.observe(observer);
    }

    /** Runs an item in its batch's current phase: the checks of a transaction, a stage, or the rollback. */
    public ItemResult run(BatchRun run, WorkItem work) {
        PhasePlan.Phase phase = run.phase();
        return switch (phase.kind()) {
            case CHECKS -> steps.checks(run, work.item());
            case RUN -> run.plan().isChain()
                    ? steps.stage(run, work.item(), run.plan().stage(phase.stage()).operations(), work.previous())
                    : run(run, work.item());
            case ROLLBACK -> steps.rollback(run, work);
        };
    }

    /**
     * {@link #run(BatchRun, WorkItem)} without holding a thread for the usual item: one plain call,
     * no check, await, chain or procedure. Every other item runs on {@code blocking}.
     */
    public CompletableFuture<ItemResult> runAsync(BatchRun run, WorkItem work, Executor blocking) {
        OperationConfig op = plainCall(run);
        if (op == null) {
            return CompletableFuture.supplyAsync(() -> run(run, work), blocking);
        }
        return steps.callOnly(run, work.item(), op, blocking);
    }

    /** The operation when the current phase runs it as one plain call per item, else null. */
    private OperationConfig plainCall(BatchRun run) {
        List<String> operations = run.spec().operations();
        if (run.phase().kind() != PhasePlan.Kind.RUN || run.plan().isChain() || operations.size() != 1
                || procedureFor(run) != null) {
            return null;
        }
        OperationConfig op = run.target().config().operation(operations.get(0));
        return op == null || op.check() != null || op.await() != null ? null : op;
    }

    /** Runs {@code operation} on {@code target} with {@code procedure} instead of one configured call. */
    public void registerProcedure(String target, String operation, ItemProcedure procedure) {
        procedures.put(target + "/" + operation, procedure);
    }

    /** Runs every operation of {@code target} with {@code procedure} (a built-in target such as the LLM pool). */
    public void registerProcedure(String target, ItemProcedure procedure) {
        procedures.put(target + "/*", procedure);
    }

    /** Runs a plain or composite batch's operations on one item: each step checked, called and awaited in order. */
    public ItemResult run(BatchRun run, BatchItem item) {
        ItemProcedure procedure = procedureFor(run);
        return procedure != null ? procedure.run(run, item) : steps.stage(run, item, run.spec().operations(), null);
    }

    /** The procedure registered for the batch's single operation, else for its whole target, else null. */
    private ItemProcedure procedureFor(BatchRun run) {
        List<String> operations = run.spec().operations();
        ItemProcedure procedure = operations.size() == 1 ? procedures.get(run.spec().target() + "/" + operations.get(0)) : null;
        return procedure != null ? procedure : procedures.get(run.spec().target() + "/*");
    }

    /**
     * Calls {@code operation} for {@code item} until it succeeds, fails for good, runs out of
     * retries or the batch stops. A 429 pauses the whole target and does not use up a retry.
     */
    public Attempts call(BatchRun run, BatchItem item, String operation, boolean rollback) {
        TargetConfig target = run.target().config();
        OperationConfig op = target.operation(operation);
        return calls.call(run, TargetCalls.resolve(run.id(), target, op, item, rollback));
    }

    /** Makes one resolved request to the batch's target, with the same limiter, retries and stop handling. */
    public Attempts call(BatchRun run, ResolvedRequest request) {
        return calls.call(run, request);
    }
}
