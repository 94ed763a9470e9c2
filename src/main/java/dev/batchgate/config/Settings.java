package dev.batchgate.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads {@code batchgate.*} keys through Camel's properties component, so that
 * {@code ./application.properties}, {@code -D} and environment variables all apply, in that order of
 * precedence reversed. Each key's default is its line in the bundled {@code application.properties},
 * which is always on the property locations: a key is read without a default of the code's own, and a
 * key no location declares is a start-up error.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public String text(String key) {
        return find(key).orElseThrow(() -> new IllegalStateException(
                key + " is not set: the bundled application.properties declares every key, is it on the classpath?"));
    }

    public int integer(String key) {
        return parseInteger(key, text(key));
    }

    /** A key whose empty value stands for one the code works out (such as a size from the CPU count). */
    public int integerOr(String key, IntSupplier whenEmpty) {
        String value = text(key);
        return value.isEmpty() ? whenEmpty.getAsInt() : parseInteger(key, value);
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(text(key));
    }

    public Duration duration(String key) {
        return ConfigValues.duration(text(key));
    }

    public long bytes(String key) {
        return ConfigValues.bytes(text(key));
    }

    /** A key that refines another (per target, say) and may be left out: {@code fallback} is the other key's value. */
    public int integer(String key, int fallback) {
        return find(key).filter(value -> !value.isEmpty()).map(value -> parseInteger(key, value)).orElse(fallback);
    }

    /** A key that refines another (per target, say) and may be left out: {@code fallback} is the other key's value. */
    public Duration duration(String key, Duration fallback) {
        return find(key).filter(value -> !value.isEmpty()).map(ConfigValues::duration).orElse(fallback);
    }

    /**
     * Every key under {@code prefix} declared in a properties file or with {@code -D}, each value
     * resolved (environment overrides and placeholders applied). Environment variables alone do
     * not declare keys.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> resolved = new TreeMap<>();
        Properties declared = properties.loadProperties(k -> k.startsWith(prefix));
        declared.stringPropertyNames().forEach(k -> resolved.put(k, null));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> resolved.put(k, null));
        resolved.replaceAll((k, v) -> find(k).orElse(""));
        return resolved;
    }

    private Optional<String> find(String key) {
        Optional<String> value = properties.resolveProperty(key);
        if (value.isEmpty()) {
            // Camel reads "}}" as the end of a placeholder and drops the value: a JSON body template such as
            // {"n":{params.n}} is no placeholder, so it is taken as written
            value = properties.resolveProperty(key + "?nested=false");
        }
        return value.map(String::trim);
    }

    private static int parseInteger(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
        }
    }
}
