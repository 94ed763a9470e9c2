package dev.batchgate.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A check's expectation on a response: {@code $.path == 'x'}, {@code $.path != 'x'} or
 * {@code $.path in ('a','b')}.
 */
public record CheckPredicate(JsonPathValue path, Operator operator, List<String> values, String text) {

    public enum Operator { EQUALS, NOT_EQUALS, IN }

    private static final Pattern FORM = Pattern.compile("\\s*(\\$\\S*)\\s*(==|!=|in)\\s*(.+?)\\s*");
    private static final Pattern QUOTED = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'");

    public static CheckPredicate parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("check-expect must be \"$.path == 'x'\", \"$.path != 'x'\" or "
                    + "\"$.path in ('a','b')\", got: " + text);
        }
        Operator op = switch (m.group(2)) {
            case "==" -> Operator.EQUALS;
            case "!=" -> Operator.NOT_EQUALS;
            default -> Operator.IN;
        };
        String rhs = m.group(3);
        if (op == Operator.IN) {
            if (!rhs.startsWith("(") || !rhs.endsWith(")")) {
                throw new IllegalArgumentException("'in' takes a list like ('a','b'), got: " + rhs);
            }
            rhs = rhs.substring(1, rhs.length() - 1);
        }
        List<String> values = new ArrayList<>();
        Matcher q = QUOTED.matcher(rhs);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (q.find()) {
            rest.append(rhs, last, q.start());
            values.add(q.group(1).replaceAll("\\\\(.)", "$1"));
            last = q.end();
        }
        rest.append(rhs.substring(last));
        if (values.isEmpty() || !rest.toString().replace(",", "").isBlank()
                || (op != Operator.IN && values.size() != 1)) {
            throw new IllegalArgumentException("values in check-expect are quoted like 'x': " + text);
        }
        return new CheckPredicate(JsonPathValue.parse(m.group(1)), op, List.copyOf(values), text.trim());
    }

    public boolean test(JsonNode document) {
        String actual = document == null ? null : path.read(document);
        return switch (operator) {
            case EQUALS -> values.get(0).equals(actual);
            case NOT_EQUALS -> !values.get(0).equals(actual);
            case IN -> values.contains(actual);
        };
    }

    /** Why the check failed, for the item's error. */
    public String describeFailure(JsonNode document) {
        String actual = document == null ? null : path.read(document);
        return "check failed: expected " + text + " but " + path + " was "
                + (actual == null ? "absent" : "'" + actual + "'");
    }
}
