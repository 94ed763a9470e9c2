package dev.batchgate.target;

import java.time.Duration;
import java.util.Set;

/**
 * One operation of a target: an HTTP call ({@code METHOD /path/{id}}) against the target's url, or
 * any Camel endpoint URI. The optional parts (rollback, check, await) are read from
 * {@code operations.<name>.<key>} properties.
 */
public record OperationConfig(
        String name,
        String method,
        String path,
        String endpointUri,
        String bodyTemplate,
        String rollback,
        Call check,
        CheckPredicate checkExpect,
        CheckMode checkMode,
        Call await,
        String awaitField,
        Set<String> awaitSuccess,
        Set<String> awaitFailure,
        Duration awaitTimeout,
        Duration awaitInterval) {

    public enum CheckMode { FAIL, SKIP }

    /** A {@code METHOD /path} pair used by checks and await polls. */
    public record Call(String method, String path) {
        static Call parse(String spec) {
            String[] parts = spec.trim().split("\\s+", 2);
            if (parts.length != 2 || !parts[1].startsWith("/")) {
                throw new IllegalArgumentException("expected 'METHOD /path', got '" + spec + "'");
            }
            return new Call(parts[0].toUpperCase(java.util.Locale.ROOT), parts[1]);
        }
    }

    public boolean isHttp() {
        return endpointUri == null;
    }

    /** Calls that change something carry an idempotency key; reads do not. */
    public boolean isChanging() {
        return endpointUri != null || !("GET".equals(method) || "HEAD".equals(method));
    }
}
