package dev.batchgate.batch;

/** An awaited operation: when its call was through ({@code actMs}) and when it settled ({@code settleMs}), from its start. */
public record AwaitTiming(long actMs, long settleMs) {
}
