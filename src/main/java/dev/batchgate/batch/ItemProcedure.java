package dev.batchgate.batch;

/**
 * An operation done in code instead of one configured call, such as a facade tool that reads, acts
 * and polls. It makes each of its calls through {@link ItemRunner#call(BatchRun, dev.batchgate.target.ResolvedRequest)},
 * so every call counts against the target's rate limit and stops with the batch. It must not throw
 * for a downstream problem: every outcome is an {@link ItemResult}.
 */
@FunctionalInterface
public interface ItemProcedure {

    ItemResult run(BatchRun run, BatchItem item);
}
