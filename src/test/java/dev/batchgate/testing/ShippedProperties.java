package dev.batchgate.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The repository's {@code application.properties} as written (placeholders unresolved): where every default lives. */
public final class ShippedProperties {

    public static final Path FILE = Path.of("application.properties");

    private ShippedProperties() {
    }

    public static Properties load() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(FILE, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The shipped value of {@code key}; fails when the file does not declare it. */
    public static String value(String key) {
        String value = load().getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException(FILE + " does not declare " + key);
        }
        return value.trim();
    }
}
