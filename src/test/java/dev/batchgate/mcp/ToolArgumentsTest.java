package dev.batchgate.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.mcp.ToolArguments.InvalidArgumentsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolArgumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // The seed's batch_update_env_vars schema, plus an integer to cover that type.
    private static final ObjectNode UPDATE_ENV_VARS = schema("""
            {
              "type": "object",
              "properties": {
                "application_uuids": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                "env_vars": {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1},
                "restart_after_update": {"type": "boolean", "default": false},
                "max_parallel": {"type": "integer"}
              },
              "required": ["application_uuids", "env_vars"],
              "additionalProperties": false
            }
            """);

    @Test
    void should_fill_in_defaults_without_touching_the_input_when_arguments_are_valid() throws Exception {
        JsonNode arguments = json("{\"application_uuids\":[\"a\"],\"env_vars\":{\"API_KEY\":\"secret\"}}");

        ObjectNode checked = ToolArguments.validate(UPDATE_ENV_VARS, arguments);

        assertThat(checked).isEqualTo(json(
                "{\"application_uuids\":[\"a\"],\"env_vars\":{\"API_KEY\":\"secret\"},\"restart_after_update\":false}"));
        assertThat(arguments.has("restart_after_update")).isFalse();
    }

    @Test
    void should_keep_a_given_value_when_the_property_has_a_default() throws Exception {
        ObjectNode checked = ToolArguments.validate(UPDATE_ENV_VARS,
                json("{\"application_uuids\":[\"a\"],\"env_vars\":{\"K\":\"v\"},\"restart_after_update\":true}"));

        assertThat(checked.get("restart_after_update").booleanValue()).isTrue();
    }

    @Test
    void should_fill_in_defaults_when_an_optional_argument_is_null() throws Exception {
        ObjectNode checked = ToolArguments.validate(UPDATE_ENV_VARS,
                json("{\"application_uuids\":[\"a\"],\"env_vars\":{\"K\":\"v\"},\"restart_after_update\":null,\"max_parallel\":null}"));

        assertThat(checked.get("restart_after_update").booleanValue()).isFalse();
        assertThat(checked.has("max_parallel")).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"env_vars\":{\"K\":\"v\"}}                                                        | application_uuids: is required",
            "{\"application_uuids\":null,\"env_vars\":{\"K\":\"v\"}}                             | application_uuids: is required",
            "{\"application_uuids\":\"a\",\"env_vars\":{\"K\":\"v\"}}                            | application_uuids: must be an array",
            "{\"application_uuids\":[],\"env_vars\":{\"K\":\"v\"}}                               | application_uuids: must contain at least 1 item",
            "{\"application_uuids\":[\"a\",\"b\",\"\"],\"env_vars\":{\"K\":\"v\"}}               | application_uuids[2]: must be a non-empty string",
            "{\"application_uuids\":[\"a\",7],\"env_vars\":{\"K\":\"v\"}}                        | application_uuids[1]: must be a non-empty string",
            "{\"application_uuids\":[\"a\"]}                                                     | env_vars: is required",
            "{\"application_uuids\":[\"a\"],\"env_vars\":{}}                                     | env_vars: must contain at least 1 entry",
            "{\"application_uuids\":[\"a\"],\"env_vars\":[\"K\"]}                                | env_vars: must be an object",
            "{\"application_uuids\":[\"a\"],\"env_vars\":{\"API_KEY\":1}}                        | env_vars.API_KEY: must be a string",
            "{\"application_uuids\":[\"a\"],\"env_vars\":{\"K\":\"v\"},\"restart_after_update\":\"yes\"} | restart_after_update: must be a boolean",
            "{\"application_uuids\":[\"a\"],\"env_vars\":{\"K\":\"v\"},\"max_parallel\":1.5}     | max_parallel: must be an integer",
            "{\"application_uuids\":[\"a\"],\"env_vars\":{\"K\":\"v\"},\"force\":true}           | force: is not a known argument",
            "[\"a\"]                                                                             | arguments: must be an object"
    })
    void should_name_the_field_when_an_argument_is_invalid(String arguments, String message) {
        assertThatThrownBy(() -> ToolArguments.validate(UPDATE_ENV_VARS, json(arguments)))
                .isInstanceOf(InvalidArgumentsException.class)
                .hasMessage(message);
    }

    @Test
    void should_check_an_empty_object_when_arguments_are_missing() {
        assertThatThrownBy(() -> ToolArguments.validate(UPDATE_ENV_VARS, null))
                .isInstanceOf(InvalidArgumentsException.class)
                .hasMessage("application_uuids: is required");
    }

    @Test
    void should_keep_unknown_arguments_when_the_schema_does_not_forbid_them() throws Exception {
        ObjectNode open = schema("{\"type\":\"object\",\"properties\":{\"force\":{\"type\":\"boolean\",\"default\":false}}}");

        ObjectNode checked = ToolArguments.validate(open, json("{\"note\":\"kept\"}"));

        assertThat(checked).isEqualTo(json("{\"note\":\"kept\",\"force\":false}"));
    }

    @Test
    void should_count_the_minimum_length_when_it_is_more_than_one() {
        ObjectNode longIds = schema("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"minLength\":3}}}");

        assertThatThrownBy(() -> ToolArguments.validate(longIds, json("{\"id\":\"ab\"}")))
                .hasMessage("id: must be a string of at least 3 characters");
    }

    private static ObjectNode schema(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
