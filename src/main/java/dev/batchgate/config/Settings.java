package dev.batchgate.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads {@code batchgate.*} keys through Camel's properties component, so that
 * {@code ./application.properties}, {@code -D} and environment variables all apply, in that order of
 * precedence reversed.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public String text(String key, String fallback) {
        Optional<String> value = properties.resolveProperty(key);
        if (value.isEmpty()) {
            // Camel reads "}}" as the end of a placeholder and drops the value: a JSON body template such as
            // {"n":{params.n}} is no placeholder, so it is taken as written
            value = properties.resolveProperty(key + "?nested=false");
        }
        return value.map(String::trim).orElse(fallback);
    }

    public int integer(String key, int fallback) {
        String value = text(key, null);
        try {
            return value == null || value.isEmpty() ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
        }
    }

    public boolean bool(String key, boolean fallback) {
        String value = text(key, null);
        return value == null || value.isEmpty() ? fallback : Boolean.parseBoolean(value);
    }

    public Duration duration(String key, Duration fallback) {
        String value = text(key, null);
        return value == null || value.isEmpty() ? fallback : ConfigValues.duration(value);
    }

    public long bytes(String key, long fallback) {
        String value = text(key, null);
        return value == null || value.isEmpty() ? fallback : ConfigValues.bytes(value);
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
        resolved.replaceAll((k, v) -> text(k, ""));
        return resolved;
    }
}
