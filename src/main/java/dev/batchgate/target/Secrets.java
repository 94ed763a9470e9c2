package dev.batchgate.target;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Masks secret header values wherever headers are shown (targets listing, dry runs). */
public final class Secrets {

    public static final String MASK = "***";
    private static final String[] SECRET_NAME_PARTS = {"authorization", "cookie", "token", "key", "secret", "password", "auth"};

    private Secrets() {
    }

    public static boolean isSecretHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("idempotency-key")) {
            return false;
        }
        for (String part : SECRET_NAME_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    public static Map<String, String> maskHeaders(Map<String, String> headers) {
        Map<String, String> masked = new LinkedHashMap<>();
        headers.forEach((name, value) -> masked.put(name, isSecretHeader(name) ? MASK : value));
        return masked;
    }
}
