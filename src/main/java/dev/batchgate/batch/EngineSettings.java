package dev.batchgate.batch;

import java.time.Duration;

/**
 * The engine's {@code batchgate.*} settings; {@code clustered}: the node shares its job store with
 * others, which may run any batch.
 */
public record EngineSettings(int maxItems, int inlineResultsMax, Duration syncTimeout, int breakerMinFinished, boolean clustered) {
}
