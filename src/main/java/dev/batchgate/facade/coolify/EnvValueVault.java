package dev.batchgate.facade.coolify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Env var values of running {@code batch_update_env_vars} batches, in memory only. The batch spec
 * in the job store holds the variable names and a random reference to the values here; the values
 * themselves never reach the store, a result, a log line or an error. A batch resumed after a
 * restart finds no values and fails its items with a message saying so.
 */
final class EnvValueVault {

    // Shorter values cannot be told apart from ordinary words and numbers in a message.
    private static final int MIN_REDACTED_LENGTH = 3;

    private final Map<String, Map<String, String>> valuesByReference = new ConcurrentHashMap<>();

    /** Keeps {@code values} and returns the reference to store instead of them. */
    String keep(Map<String, String> values) {
        String reference = UUID.randomUUID().toString();
        keep(reference, values);
        return reference;
    }

    void keep(String reference, Map<String, String> values) {
        valuesByReference.put(reference, Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    Optional<Map<String, String>> values(String reference) {
        return Optional.ofNullable(reference == null ? null : valuesByReference.get(reference));
    }

    boolean holds(String reference) {
        return valuesByReference.containsKey(reference);
    }

    void forget(String reference) {
        valuesByReference.remove(reference);
    }

    /** {@code text} with every value of {@code values} replaced by {@code ***}: for messages that come from Coolify. */
    static String redact(String text, Map<String, String> values) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String value : values.values()) {
            if (value.length() >= MIN_REDACTED_LENGTH) {
                redacted = redacted.replace(value, ToolDocument.MASK);
            }
        }
        return redacted;
    }
}
