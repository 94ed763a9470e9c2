package dev.batchgate.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.batchgate.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {id}} and {@code {params.name}} placeholders. In a path each value is encoded as one
 * path segment (an id like {@code ../admin} can never change the path). In a JSON body template,
 * {@code "{params.x}"} inside a string is JSON-escaped and a bare {@code {params.x}} inserts the JSON
 * value.
 */
public final class RequestTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(id|params\\.[A-Za-z0-9_.-]+)}");

    private RequestTemplate() {
    }

    /** Thrown when a template names a param the item does not have. */
    public static final class MissingParamException extends IllegalArgumentException {
        private final String param;

        MissingParamException(String param) {
            super("missing param '" + param + "'");
            this.param = param;
        }

        public String param() {
            return param;
        }
    }

    public static String path(String template, JsonNode id, ObjectNode params) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = value(m.group(1), id, params);
            m.appendReplacement(out, Matcher.quoteReplacement(segment(value.isValueNode() ? value.asText() : value.toString())));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static String body(String template, JsonNode id, ObjectNode params) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        int last = 0;
        boolean inString = false;
        while (m.find()) {
            inString = insideString(template, last, m.start(), inString);
            out.append(template, last, m.start());
            JsonNode value = value(m.group(1), id, params);
            if (inString) {
                String text = value.isTextual() ? value.asText() : value.toString();
                String quoted = TextNode.valueOf(text).toString();
                out.append(quoted, 1, quoted.length() - 1);
            } else {
                out.append(value.toString());
            }
            last = m.end();
        }
        out.append(template.substring(last));
        return out.toString();
    }

    /** Checks that every placeholder of {@code template} can be filled; throws {@link MissingParamException}. */
    public static void check(String template, JsonNode id, ObjectNode params) {
        if (template == null) {
            return;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            value(m.group(1), id, params);
        }
    }

    /** Encodes one path segment; dot segments are refused by validation, so '.' can stay as it is. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode value(String name, JsonNode id, ObjectNode params) {
        if (name.equals("id")) {
            return id;
        }
        String param = name.substring("params.".length());
        JsonNode value = params == null ? null : params.get(param);
        if (value == null) {
            throw new MissingParamException(param);
        }
        return value;
    }

    /** Tracks whether position {@code to} is inside a JSON string, continuing from {@code from}. */
    private static boolean insideString(String text, int from, int to, boolean inString) {
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\' && inString) {
                escaped = true;
            } else if (c == '"') {
                inString = !inString;
            }
        }
        return inString;
    }

    /** The item's params as a JSON body, or null when there are none. */
    public static String paramsBody(ObjectNode params) {
        return params == null || params.isEmpty() ? null : Json.write(params);
    }
}
