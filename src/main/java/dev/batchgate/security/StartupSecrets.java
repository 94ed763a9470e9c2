package dev.batchgate.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Registers the configured secrets with {@link SecretMasker} before Camel reads the first property:
 * Camel's property parser logs every value it resolves at DEBUG and TRACE, long before batchgate's
 * configuration runs. It reads what Camel will read (the properties files, the system properties and
 * the environment) and resolves {@code {{env:NAME}}}, {@code {{sys:NAME}}} and {@code {{key}}}
 * placeholders, so both a secret key's value and each value it is composed of are masked.
 */
public final class StartupSecrets {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");
    /** Deeper chains are not worth following: Camel itself refuses circular references. */
    private static final int MAX_NESTING = 10;

    private final Map<String, String> files = new LinkedHashMap<>();
    private final Map<String, String> environment;
    private final Map<String, String> system = new LinkedHashMap<>();

    private StartupSecrets(Map<String, String> environment, Properties system) {
        this.environment = environment;
        system.stringPropertyNames().forEach(key -> this.system.put(key, system.getProperty(key)));
    }

    /**
     * @param locations Camel property locations ({@code file:…} or {@code classpath:…}, optionally with
     *                  {@code ;optional=true}), highest precedence first
     */
    public static void register(List<String> locations, Map<String, String> environment, Properties system) {
        StartupSecrets secrets = new StartupSecrets(environment, system);
        locations.forEach(secrets::load);
        secrets.registerAll(secrets.files);
        secrets.registerAll(secrets.system);
        secrets.registerAll(secrets.environment);
    }

    private void registerAll(Map<String, String> properties) {
        properties.forEach((key, raw) -> {
            SecretMasker.registerIfSecret(key, resolve(raw));
            // Camel logs each placeholder's value on its own too, e.g. the token of "Bearer {{env:TOKEN}}"
            Matcher placeholders = PLACEHOLDER.matcher(raw);
            while (placeholders.find()) {
                SecretMasker.registerIfSecret(key, resolve(placeholders.group()));
            }
        });
    }

    private String resolve(String value) {
        String resolved = value;
        for (int depth = 0; depth < MAX_NESTING && resolved.contains("{{"); depth++) {
            String next = PLACEHOLDER.matcher(resolved).replaceAll(
                    placeholder -> Matcher.quoteReplacement(lookup(placeholder.group(1)).orElse(placeholder.group())));
            if (next.equals(resolved)) {
                break;
            }
            resolved = next;
        }
        return resolved;
    }

    /** The value of {@code env:NAME[:default]}, {@code sys:NAME[:default]} or {@code key[:default]}. */
    private Optional<String> lookup(String placeholder) {
        String function = placeholder.startsWith("env:") || placeholder.startsWith("sys:") ? placeholder.substring(0, 3) : "";
        String rest = function.isEmpty() ? placeholder : placeholder.substring(4);
        int colon = rest.indexOf(':');
        String name = (colon < 0 ? rest : rest.substring(0, colon)).trim();
        Optional<String> fallback = colon < 0 ? Optional.empty() : Optional.of(rest.substring(colon + 1));
        Optional<String> value = switch (function) {
            case "env" -> Optional.ofNullable(environment.get(name)).or(() -> environmentOverride(name));
            case "sys" -> Optional.ofNullable(system.get(name));
            default -> Optional.ofNullable(system.get(name)).or(() -> environmentOverride(name))
                    .or(() -> Optional.ofNullable(files.get(name)));
        };
        return value.or(() -> fallback);
    }

    /** Camel's environment override of a key: batchgate.db.password from BATCHGATE_DB_PASSWORD. */
    private Optional<String> environmentOverride(String key) {
        return Optional.ofNullable(environment.get(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')));
    }

    private void load(String location) {
        String path = location.split(";")[0].trim();
        Properties properties = new Properties();
        try {
            if (path.startsWith("file:")) {
                Path file = Path.of(path.substring("file:".length()));
                if (!Files.isRegularFile(file)) {
                    return;
                }
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                }
            } else {
                String resource = path.startsWith("classpath:") ? path.substring("classpath:".length()) : path;
                try (InputStream in = StartupSecrets.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        return;
                    }
                    properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // with its secrets unknown, Camel would log them as it reads the file
            throw new UncheckedIOException("cannot read " + location, e);
        }
        properties.stringPropertyNames().forEach(key -> files.putIfAbsent(key, properties.getProperty(key)));
    }
}
