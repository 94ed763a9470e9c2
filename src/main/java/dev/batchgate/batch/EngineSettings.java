package dev.batchgate.batch;

import java.time.Duration;

/** The engine's {@code batchgate.*} settings. */
public record EngineSettings(int maxItems, int inlineResultsMax, Duration syncTimeout, int breakerMinFinished) {
}
