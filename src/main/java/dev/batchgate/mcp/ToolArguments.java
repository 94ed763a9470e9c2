package dev.batchgate.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Checks tool arguments against the subset of JSON Schema that batchgate's tools use, and fills in
 * defaults. Enforced: {@code type} (object, array, string, boolean, integer, number), {@code properties},
 * {@code required}, {@code default}, {@code additionalProperties} (false or a schema for the values),
 * {@code minProperties}, {@code items}, {@code minItems}, {@code minLength}. Other keywords are
 * ignored. An optional property given as {@code null} counts as absent, since LLM clients often send
 * {@code null} for "not set".
 */
public final class ToolArguments {

    private static final String ROOT = "arguments";

    private ToolArguments() {
    }

    /**
     * Returns a copy of {@code arguments} with defaults filled in; the input is left untouched.
     * Missing arguments ({@code null} or a missing node) are checked as an empty object.
     *
     * @throws InvalidArgumentsException naming the first offending field, e.g.
     *     {@code application_uuids[2]: must be a non-empty string}
     */
    public static ObjectNode validate(ObjectNode inputSchema, JsonNode arguments) throws InvalidArgumentsException {
        JsonNode given = arguments == null || arguments.isMissingNode() || arguments.isNull()
                ? JsonNodeFactory.instance.objectNode()
                : arguments;
        return (ObjectNode) check(inputSchema, given, "");
    }

    private static JsonNode check(JsonNode schema, JsonNode value, String path) throws InvalidArgumentsException {
        switch (schema.path("type").asText("")) {
            case "object":
                return checkObject(schema, value, path);
            case "array":
                return checkArray(schema, value, path);
            case "string":
                checkString(schema, value, path);
                return value;
            case "boolean":
                require(value.isBoolean(), path, "must be a boolean");
                return value;
            case "integer":
                require(value.isIntegralNumber(), path, "must be an integer");
                return value;
            case "number":
                require(value.isNumber(), path, "must be a number");
                return value;
            default :
                return value;
        }
    }

    private static ObjectNode checkObject(JsonNode schema, JsonNode value, String path) throws InvalidArgumentsException {
        require(value.isObject(), path, "must be an object");
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            String name = required.asText();
            require(isPresent(value.get(name)), child(path, name), "is required");
        }
        int minProperties = schema.path("minProperties").asInt(0);
        require(value.size() >= minProperties, path, "must contain at least " + count(minProperties, "entry", "entries"));

        JsonNode additional = schema.path("additionalProperties");
        ObjectNode checked = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String name = field.getKey();
            String fieldPath = child(path, name);
            if (properties.has(name)) {
                if (isPresent(field.getValue())) {
                    checked.set(name, check(properties.get(name), field.getValue(), fieldPath));
                }
            } else if (additional.isObject()) {
                checked.set(name, check(additional, field.getValue(), fieldPath));
            } else {
                require(!(additional.isBoolean() && !additional.asBoolean()), fieldPath, "is not a known argument");
                checked.set(name, field.getValue().deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            if (!checked.has(property.getKey()) && property.getValue().has("default")) {
                checked.set(property.getKey(), property.getValue().get("default").deepCopy());
            }
        }
        return checked;
    }

    private static ArrayNode checkArray(JsonNode schema, JsonNode value, String path) throws InvalidArgumentsException {
        require(value.isArray(), path, "must be an array");
        int minItems = schema.path("minItems").asInt(0);
        require(value.size() >= minItems, path, "must contain at least " + count(minItems, "item", "items"));
        JsonNode items = schema.path("items");
        ArrayNode checked = JsonNodeFactory.instance.arrayNode(value.size());
        for (int index = 0; index < value.size(); index++) {
            checked.add(check(items, value.get(index), path(path) + "[" + index + "]"));
        }
        return checked;
    }

    private static void checkString(JsonNode schema, JsonNode value, String path) throws InvalidArgumentsException {
        int minLength = schema.path("minLength").asInt(0);
        String expectation = switch (minLength) {
            case 0 -> "must be a string";
            case 1 -> "must be a non-empty string";
            default -> "must be a string of at least " + minLength + " characters";
        };
        require(value.isTextual(), path, expectation);
        String text = value.textValue();
        require(text.codePointCount(0, text.length()) >= minLength, path, expectation);
    }

    private static boolean isPresent(JsonNode value) {
        return value != null && !value.isNull();
    }

    private static void require(boolean condition, String path, String expectation) throws InvalidArgumentsException {
        if (!condition) {
            throw new InvalidArgumentsException(path(path), expectation);
        }
    }

    private static String path(String path) {
        return path.isEmpty() ? ROOT : path;
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String count(int number, String singular, String plural) {
        return number + " " + (number == 1 ? singular : plural);
    }

    /** Arguments that do not match a tool's input schema; the message names the field. */
    public static final class InvalidArgumentsException extends Exception {

        private final String field;
        private final String problem;

        public InvalidArgumentsException(String field, String problem) {
            super(field + ": " + problem);
            this.field = field;
            this.problem = problem;
        }

        /** The offending field, e.g. {@code application_uuids[2]}; {@code arguments} for the whole object. */
        public String field() {
            return field;
        }

        /** What is wrong with it, e.g. {@code must be a non-empty string}. */
        public String problem() {
            return problem;
        }
    }
}
