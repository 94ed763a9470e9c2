package dev.batchgate.facade.remediation;

import dev.batchgate.target.TargetConfig;
import dev.batchgate.target.TargetConfigParser;
import java.time.Duration;
import java.util.Map;

/**
 * The built-in target {@code remediation}: its one operation {@code remediate} is the Camel endpoint
 * {@code direct:remediate}. No rate limit (nothing remote is called); the concurrency bounds the CPU the
 * engine may take. No retries: the same configs fail the same way.
 */
public final class RemediationTarget {

    public static final String NAME = "remediation";
    public static final String OPERATION = "remediate";
    public static final String TRIGGER = "facade:remediation";

    private RemediationTarget() {
    }

    public static TargetConfig config(int concurrency, Duration timeout) {
        String prefix = TargetConfigParser.PREFIX + NAME + ".";
        return TargetConfigParser.parse(Map.of(
                prefix + "operations." + OPERATION, "direct:remediate",
                prefix + "concurrency", Integer.toString(concurrency),
                prefix + "timeout", timeout.toMillis() + "ms",
                prefix + "retries", "0")).get(NAME);
    }

    /** Two devices per core: the engine is CPU-bound, and a second one per core covers the job-store writes. */
    public static int defaultConcurrency() {
        return Runtime.getRuntime().availableProcessors() * 2;
    }
}
