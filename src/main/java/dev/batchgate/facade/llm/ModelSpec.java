package dev.batchgate.facade.llm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One model of the pool: its name as the API knows it and its requests-per-minute limit. */
public record ModelSpec(String name, int rpm) {

    /**
     * Reads {@code batchgate.llm.models}: {@code name:rpm,...} in priority order. The rpm follows the
     * last colon, so names that contain colons ({@code llama3:8b:60}) work.
     */
    public static List<ModelSpec> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("batchgate.llm.models is empty; expected name:rpm,... in priority order");
        }
        List<ModelSpec> models = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException("batchgate.llm.models: '" + trimmed + "' is not name:rpm");
            }
            String name = trimmed.substring(0, colon).trim();
            int rpm;
            try {
                rpm = Integer.parseInt(trimmed.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("batchgate.llm.models: the rpm of '" + trimmed + "' is not an integer");
            }
            if (rpm <= 0) {
                throw new IllegalArgumentException("batchgate.llm.models: the rpm of '" + name + "' must be positive");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("batchgate.llm.models: '" + name + "' is listed twice");
            }
            models.add(new ModelSpec(name, rpm));
        }
        return List.copyOf(models);
    }
}
