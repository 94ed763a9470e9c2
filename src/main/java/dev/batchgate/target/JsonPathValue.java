package dev.batchgate.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The small JSONPath subset batchgate needs: {@code $.a.b}, {@code $.list[0].c}. */
public final class JsonPathValue {

    private static final Pattern SEGMENT = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\[(\\d+)]");

    private final String path;
    private final List<Object> segments;

    private JsonPathValue(String path, List<Object> segments) {
        this.path = path;
        this.segments = segments;
    }

    public static JsonPathValue parse(String path) {
        String p = path.trim();
        if (!p.startsWith("$")) {
            throw new IllegalArgumentException("a JSONPath starts with '$': '" + path + "'");
        }
        List<Object> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(p);
        int at = 1;
        while (at < p.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("unsupported JSONPath '" + path + "' (use $.field.sub or $.list[0])");
            }
            segments.add(m.group(1) != null ? m.group(1) : (Object) Integer.parseInt(m.group(2)));
            at = m.end();
        }
        return new JsonPathValue(p, List.copyOf(segments));
    }

    /** The value as text (numbers and booleans as their JSON text), or null when absent. */
    public String read(JsonNode document) {
        JsonNode node = document;
        for (Object segment : segments) {
            if (node == null) {
                return null;
            }
            node = segment instanceof Integer i ? node.get(i) : node.get((String) segment);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    @Override
    public String toString() {
        return path;
    }
}
