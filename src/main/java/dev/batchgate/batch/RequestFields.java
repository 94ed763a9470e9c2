package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException.FieldError;
import dev.batchgate.config.ConfigValues;
import dev.batchgate.target.OperationConfig;
import dev.batchgate.target.Target;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The rules every batch request shares, applied the same way at every entry point, each of which keeps
 * its own wording and field paths. Field readers add each problem to {@code errors} (the caller answers
 * them all at once) and return a usable default; the target, operation and count rules refuse at once.
 */
public final class RequestFields {

    /** A batch may be given a year at most: a longer deadline is a typo, not a plan. */
    static final Duration MAX_DEADLINE = Duration.ofDays(365);

    private RequestFields() {
    }

    /** {@code async} (the default) or {@code sync}. */
    public static BatchSpec.Mode mode(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return BatchSpec.Mode.ASYNC;
        }
        if (node.isTextual() && (node.asText().equals("async") || node.asText().equals("sync"))) {
            return node.asText().equals("sync") ? BatchSpec.Mode.SYNC : BatchSpec.Mode.ASYNC;
        }
        errors.add(new FieldError("mode", null, "mode must be 'async' or 'sync'"));
        return BatchSpec.Mode.ASYNC;
    }

    /** {@code body.field} as a positive int, or null when absent (or wrong). */
    public static Integer positiveInt(JsonNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
            errors.add(new FieldError(field, null, field + " must be a positive integer"));
            return null;
        }
        return node.asInt();
    }

    /** A duration such as {@code "30s"}, above zero and at most {@link #MAX_DEADLINE}; null when absent (or wrong). */
    public static Duration deadline(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (node.isTextual()) {
                Duration d = ConfigValues.duration(node.asText());
                if (!d.isZero() && d.compareTo(MAX_DEADLINE) <= 0) {
                    return d;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new FieldError("deadline", null,
                "deadline must be a duration such as \"30s\" or \"10m\", at most " + MAX_DEADLINE.toDays() + "d"));
        return null;
    }

    /** At most {@code limit} items: more is too large, "too many {@code noun}: n (the limit is m)", detailed at {@code field} when given. */
    public static void itemCount(int count, int limit, String noun, String field) {
        if (count > limit) {
            throw BadRequestException.tooLarge("too many " + noun + ": " + count + " (the limit is " + limit + ")",
                    field == null ? List.of() : List.of(new FieldError(field, null, "at most " + limit + " " + noun)));
        }
    }

    /** At most {@code limit} items, refused in the caller's own {@code sentence}. */
    public static void itemCount(int count, int limit, Supplier<String> sentence) {
        if (count > limit) {
            throw BadRequestException.tooLarge(sentence.get());
        }
    }

    /** The target a request names: else not found, "unknown target 'name'" (then {@code hint}), detailed at {@code field} when given. */
    public static Target target(Function<String, Optional<Target>> targets, String name, String field, String hint) {
        return targets.apply(name).orElseThrow(() -> {
            String problem = "unknown target '" + name + "'";
            return BadRequestException.notFound(problem + (hint == null ? "" : " (" + hint + ")"),
                    field == null ? List.of() : List.of(new FieldError(field, null, problem)));
        });
    }

    /** The target an entry point is configured to use ({@code role} names it): its absence is the configuration's fault. */
    public static Target configuredTarget(Function<String, Optional<Target>> targets, String role, String name, String hint) {
        return targets.apply(name).orElseThrow(() -> BadRequestException.notFound("the " + role + " target '" + name
                + "' is not configured" + (hint == null ? "" : " (" + hint + ")")));
    }

    /** An operation a request names: else not found, "unknown operation 'name' on target 't'" (then {@code hint}), detailed at {@code field} when given. */
    public static OperationConfig operation(Target target, String name, String field, String hint) {
        OperationConfig operation = target.config().operation(name);
        if (operation == null) {
            String message = "unknown operation '" + name + "' on target '" + target.name() + "'" + (hint == null ? "" : " (" + hint + ")");
            throw BadRequestException.notFound(message, field == null ? List.of() : List.of(new FieldError(field, null, message)));
        }
        return operation;
    }

    /** An operation an entry point is configured to call: "target 't' has no operation 'name'" (then {@code hint}) when it is missing. */
    public static OperationConfig configuredOperation(Target target, String name, String hint) {
        OperationConfig operation = target.config().operation(name);
        if (operation == null) {
            throw BadRequestException.notFound("target '" + target.name() + "' has no operation '" + name + "'"
                    + (hint == null ? "" : " (" + hint + ")"));
        }
        return operation;
    }

    /**
     * Where an entry point's items sit in its request: item {@code i} at {@code list[i]}, and the id of an
     * item given as an object at {@code list[i]} followed by {@code objectId}.
     */
    public record ItemPath(String list, String objectId) {

        /** The generic API's {@code items[i]}, whose object items name their id {@code items[i].id}. */
        public static final ItemPath ITEMS = new ItemPath("items", ".id");

        public String item(int index) {
            return list + "[" + index + "]";
        }
    }

    /** One item: an id (string or integer), or {@code {id, params}}; {@code defaults} are merged under the item's params. */
    public static BatchItem item(ItemPath path, int index, JsonNode node, ObjectNode defaults, List<FieldError> errors) {
        JsonNode id = node;
        ObjectNode params = null;
        String field = path.item(index);
        if (node.isObject()) {
            id = node.get("id");
            field += path.objectId();
            JsonNode p = node.get("params");
            if (p != null && !p.isNull() && !p.isObject()) {
                errors.add(new FieldError(path.item(index) + ".params", index, "params must be an object"));
                return null;
            }
            params = p instanceof ObjectNode object ? object : null;
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!name.equals("id") && !name.equals("params")) {
                    errors.add(new FieldError(path.item(index) + "." + name, index,
                            "unknown field '" + name + "' (an item is an id or {id, params})"));
                    return null;
                }
            }
        }
        BatchItem item = id(index, id, field, "id", errors);
        return item == null ? null : new BatchItem(index, item.id(), merge(defaults, params));
    }

    /**
     * An item's id alone (a string or an integer, and nothing a store or a URL would mangle), without params;
     * a problem is reported at {@code field} and worded with {@code name} ("id", "device_id").
     */
    public static BatchItem id(int index, JsonNode id, String field, String name, List<FieldError> errors) {
        String problem = idProblem(id, name);
        if (problem != null) {
            errors.add(new FieldError(field, index, problem));
            return null;
        }
        return new BatchItem(index, id, null);
    }

    private static String idProblem(JsonNode id, String name) {
        if (id == null || id.isNull()) {
            return name + " is required";
        }
        if (id.isIntegralNumber()) {
            return id.canConvertToLong() ? null : "integer " + name + " out of range";
        }
        if (!id.isTextual()) {
            return name + " must be a string or an integer";
        }
        String text = id.asText();
        if (text.isEmpty()) {
            return name + " must not be empty";
        }
        if (text.length() > 1000) {
            return name + " is longer than 1000 characters";
        }
        if (text.equals(".") || text.equals("..")) {
            return name + " '" + text + "' is not allowed (a dot segment would change the path)";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return name + " contains a control character at position " + i;
            }
            // a lone surrogate is no character at all: stores and URLs would turn it into '?'
            if (Character.isHighSurrogate(c) && (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                return name + " contains an invalid UTF-16 character at position " + i;
            }
        }
        return null;
    }

    private static ObjectNode merge(ObjectNode defaults, ObjectNode own) {
        if (defaults == null || defaults.isEmpty()) {
            return own;
        }
        ObjectNode merged = defaults.deepCopy();
        if (own != null) {
            merged.setAll(own);
        }
        return merged;
    }

    /** "duplicate {@code name} 'key'", then where the id was first given when {@code where} is not null. */
    public static String duplicate(String name, String key, String where) {
        return "duplicate " + name + " '" + key + "'" + (where == null ? "" : " (also " + where + ")");
    }

    /** The ids of one batch so far: an id given twice is refused, each entry point saying so in its own terms. */
    public static final class SeenIds {

        private final Map<String, Integer> firstIndex = new HashMap<>();

        /**
         * Remembers {@code item}'s id; when an earlier item had it, reports {@link RequestFields#duplicate} at {@code field}
         * with {@code where} (given that item's index, null for no mention) and answers false.
         */
        public boolean add(BatchItem item, String field, String name, IntFunction<String> where, List<FieldError> errors) {
            Integer first = firstIndex.putIfAbsent(item.key(), item.index());
            if (first == null) {
                return true;
            }
            errors.add(new FieldError(field, item.index(), duplicate(name, item.key(), where == null ? null : where.apply(first))));
            return false;
        }
    }
}
