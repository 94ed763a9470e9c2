package dev.batchgate.security;

import dev.batchgate.target.Secrets;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows the secret values batchgate was configured with (header values such as tokens, API keys,
 * passwords, credentials in target URLs) and replaces them with {@code ***} in any text: every log
 * line (see {@link MaskingMessageConverter}), every JSON answer, every stored item result. Static,
 * because the logging framework has no other way to reach it; registering more secrets only ever
 * masks more.
 */
public final class SecretMasker {

    public static final String MASK = Secrets.MASK;
    /** Shorter values would mask ordinary words; secrets that short are not worth the name. */
    static final int MIN_LENGTH = 6;
    /** Compared with key names stripped of separators, so LLM_API_KEY and batchgate.llm.api-key both match. */
    private static final List<String> SECRET_KEY_PARTS = List.of("password", "secret", "token", "apikey", "credential",
            "privatekey", "authorization");

    private static final Set<String> AUTH_SCHEMES = Set.of("bearer", "basic", "token", "digest");

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static volatile List<String> longestFirst = List.of();

    private SecretMasker() {
    }

    /** Registers the secret values among {@code batchgate.*} properties, judged by their key names. */
    public static void registerFromProperties(Map<String, String> properties) {
        properties.forEach(SecretMasker::registerIfSecret);
    }

    /** Registers {@code value} when {@code key}, a property key or an environment variable name, names a secret. */
    public static void registerIfSecret(String key, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        // an environment variable spells batchgate.db.password as BATCHGATE_DB_PASSWORD
        String dotted = key.toLowerCase(Locale.ROOT).replace('_', '.');
        String compact = dotted.replace(".", "").replace("-", "");
        int headers = dotted.indexOf(".headers.");
        if (headers >= 0) {
            if (Secrets.isSecretHeader(dotted.substring(headers + ".headers.".length()))) {
                registerHeaderValue(value);
            }
        } else if (compact.endsWith("apikeys")) {
            for (String part : value.split(",")) {
                register(part.trim());
            }
        } else if (SECRET_KEY_PARTS.stream().anyMatch(compact::contains)) {
            register(value.trim());
        } else if (dotted.endsWith(".url")) {
            registerUrlCredentials(value);
        }
    }

    /**
     * A header value and, for {@code Bearer xyz} / {@code Basic xyz}, the credential on its own. A scheme
     * with no credential (an unset {@code Bearer {{env:TOKEN:}}}) is no secret: masking it would hide the
     * word everywhere.
     */
    public static void registerHeaderValue(String value) {
        String trimmed = value.trim();
        if (AUTH_SCHEMES.contains(trimmed.toLowerCase(Locale.ROOT))) {
            return;
        }
        register(trimmed);
        int space = trimmed.indexOf(' ');
        if (space > 0) {
            register(trimmed.substring(space + 1).trim());
        }
    }

    public static void register(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH || !SECRETS.add(secret)) {
            return;
        }
        // longest first, so a secret that contains another one is masked whole
        longestFirst = SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public static String mask(String text) {
        List<String> secrets = longestFirst;
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    private static void registerUrlCredentials(String url) {
        try {
            String userInfo = URI.create(url.trim()).getRawUserInfo();
            if (userInfo != null && userInfo.contains(":")) {
                register(userInfo.substring(userInfo.indexOf(':') + 1));
            }
        } catch (IllegalArgumentException e) {
            // not a URL batchgate can call anyway; the target parser reports it
        }
    }
}
