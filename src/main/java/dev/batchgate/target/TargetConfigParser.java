package dev.batchgate.target;

import dev.batchgate.config.ConfigValues;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Builds {@link TargetConfig}s from the flat {@code batchgate.targets.*} properties. */
public final class TargetConfigParser {

    public static final String PREFIX = "batchgate.targets.";

    private TargetConfigParser() {
    }

    /** @param properties every resolved property whose key starts with {@link #PREFIX} */
    public static Map<String, TargetConfig> parse(Map<String, String> properties) {
        Map<String, Map<String, String>> byTarget = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                return;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot > 0) {
                byTarget.computeIfAbsent(rest.substring(0, dot), t -> new TreeMap<>())
                        .put(rest.substring(dot + 1), value.trim());
            }
        });
        Map<String, TargetConfig> targets = new LinkedHashMap<>();
        byTarget.forEach((name, keys) -> targets.put(name, target(name, keys)));
        return targets;
    }

    private static TargetConfig target(String name, Map<String, String> keys) {
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            Map<String, Map<String, String>> operationKeys = new TreeMap<>();
            keys.forEach((key, value) -> {
                if (key.startsWith("headers.")) {
                    headers.put(key.substring("headers.".length()), value);
                } else if (key.startsWith("operations.")) {
                    String rest = key.substring("operations.".length());
                    int dot = rest.indexOf('.');
                    String op = dot < 0 ? rest : rest.substring(0, dot);
                    operationKeys.computeIfAbsent(op, o -> new TreeMap<>()).put(dot < 0 ? "" : rest.substring(dot + 1), value);
                }
            });
            Map<String, OperationConfig> operations = new LinkedHashMap<>();
            operationKeys.forEach((op, opKeys) -> operations.put(op, operation(op, opKeys)));
            for (OperationConfig op : operations.values()) {
                if (op.rollback() != null && !operations.containsKey(op.rollback())) {
                    throw new IllegalArgumentException("operation '" + op.name() + "' rolls back with unknown operation '"
                            + op.rollback() + "'");
                }
            }
            String url = keys.get("url");
            if (url != null && url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            Integer rpm = keys.containsKey("rpm") && !keys.get("rpm").isEmpty() ? positive("rpm", keys.get("rpm")) : null;
            return new TargetConfig(name, url, rpm,
                    keys.containsKey("concurrency") ? positive("concurrency", keys.get("concurrency")) : TargetConfig.DEFAULT_CONCURRENCY,
                    duration(keys, "timeout", TargetConfig.DEFAULT_TIMEOUT),
                    keys.containsKey("retries") ? Integer.parseInt(keys.get("retries")) : TargetConfig.DEFAULT_RETRIES,
                    duration(keys, "retry-delay", TargetConfig.DEFAULT_RETRY_DELAY),
                    Map.copyOf(headers), Map.copyOf(operations));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("target '" + name + "': " + e.getMessage(), e);
        }
    }

    private static OperationConfig operation(String name, Map<String, String> keys) {
        String spec = keys.get("");
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("operation '" + name + "' has no 'METHOD /path' or endpoint URI");
        }
        String method = null;
        String path = null;
        String endpointUri = null;
        String[] parts = spec.split("\\s+", 2);
        if (parts.length == 2 && parts[1].startsWith("/")) {
            method = parts[0].toUpperCase(Locale.ROOT);
            path = parts[1];
        } else if (spec.matches("[a-zA-Z][a-zA-Z0-9+.-]*:\\S+")) {
            endpointUri = spec;
        } else {
            throw new IllegalArgumentException("operation '" + name + "': expected 'METHOD /path' or a Camel endpoint URI, got '"
                    + spec + "'");
        }
        String checkMode = keys.getOrDefault("check-mode", "fail").toUpperCase(Locale.ROOT);
        if (!checkMode.equals("FAIL") && !checkMode.equals("SKIP")) {
            throw new IllegalArgumentException("operation '" + name + "': check-mode must be 'fail' or 'skip', got '"
                    + keys.get("check-mode") + "'");
        }
        if (keys.containsKey("await-field")) {
            JsonPathValue.parse(keys.get("await-field"));
        }
        return new OperationConfig(name, method, path, endpointUri,
                keys.get("body"),
                blankToNull(keys.get("rollback")),
                keys.containsKey("check") ? OperationConfig.Call.parse(keys.get("check")) : null,
                keys.containsKey("check-expect") ? CheckPredicate.parse(keys.get("check-expect")) : null,
                OperationConfig.CheckMode.valueOf(checkMode),
                keys.containsKey("await") ? OperationConfig.Call.parse(keys.get("await")) : null,
                keys.get("await-field"),
                set(keys.get("await-success")),
                set(keys.get("await-failure")),
                duration(keys, "await-timeout", Duration.ofMinutes(5)),
                duration(keys, "await-interval", Duration.ofSeconds(2)));
    }

    private static Set<String> set(String csv) {
        if (csv == null || csv.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Duration duration(Map<String, String> keys, String key, Duration fallback) {
        String value = keys.get(key);
        return value == null || value.isEmpty() ? fallback : ConfigValues.duration(value);
    }

    private static int positive(String key, String value) {
        int n = Integer.parseInt(value.trim());
        if (n <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
        return n;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
