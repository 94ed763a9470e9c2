package dev.batchgate.facade.remediation.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the sample device configs under {@code src/test/resources/remediation/<platform>/}. */
final class Fixtures {

    private Fixtures() {}

    static String config(String platform, String name) {
        String resource = "/remediation/" + platform + "/" + name + ".cfg";
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
