package dev.batchgate.batch;

/**
 * Runs one item of a built-in target that is not a plain call (the LLM pool): it gets the batch's
 * live run for the stop signal and returns the item's result, never throwing for a downstream problem.
 */
@FunctionalInterface
public interface ItemHandler {

    ItemResult run(BatchRun run, BatchItem item);
}
