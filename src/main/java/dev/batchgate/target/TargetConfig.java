package dev.batchgate.target;

import java.time.Duration;
import java.util.Map;

/** A downstream system as declared under {@code batchgate.targets.<name>.*}. */
public record TargetConfig(
        String name,
        String url,
        Integer rpm,
        int concurrency,
        Duration timeout,
        int retries,
        Duration retryDelay,
        Map<String, String> headers,
        Map<String, OperationConfig> operations) {

    public static final int DEFAULT_CONCURRENCY = 10;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 2;
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(500);

    public OperationConfig operation(String operation) {
        return operations.get(operation);
    }
}
