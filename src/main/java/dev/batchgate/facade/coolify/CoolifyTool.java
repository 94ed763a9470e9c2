package dev.batchgate.facade.coolify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import java.util.Arrays;
import java.util.Optional;

/**
 * The five Coolify batch tools: name, description and input schema (the original tools' zod schemas as JSON
 * Schema, with their defaults; ids are non-empty strings, not {@code format: uuid}, as Coolify's
 * uuids are not RFC 4122 uuids).
 */
enum CoolifyTool {

    RESTART_APPLICATIONS("batch_restart_applications", "application_uuids",
            "Restart several Coolify applications in one batch, in parallel unless parallel is false. With "
                    + "wait_for_completion, waits for each restart's deployment to finish (or fail)."
                    + CoolifyTool.ANSWER,
            """
                    {"application_uuids": %s,
                     "parallel": {"type": "boolean", "default": true,
                                  "description": "Restart in parallel (within Coolify's rate limit); false restarts one at a time"},
                     "wait_for_completion": {"type": "boolean", "default": false,
                                  "description": "Wait until each restart's deployment is finished, failed or cancelled"}}
                    """),
    STOP_APPLICATIONS("batch_stop_applications", "application_uuids",
            "Stop several Coolify applications in one batch. Unless force is true, each application is read "
                    + "first and one already stopped is reported as success with skipped: true." + CoolifyTool.ANSWER,
            """
                    {"application_uuids": %s,
                     "force": {"type": "boolean", "default": false,
                               "description": "Stop without reading each application's status first"}}
                    """),
    START_SERVICES("batch_start_services", "service_uuids",
            "Start several Coolify services in one batch." + CoolifyTool.ANSWER,
            """
                    {"service_uuids": %s}
                    """),
    STOP_SERVICES("batch_stop_services", "service_uuids",
            "Stop several Coolify services in one batch. Unless force is true, each service is read first and "
                    + "one already stopped is reported as success with skipped: true." + CoolifyTool.ANSWER,
            """
                    {"service_uuids": %s,
                     "force": {"type": "boolean", "default": false,
                               "description": "Stop without reading each service's status first"}}
                    """),
    UPDATE_ENV_VARS("batch_update_env_vars", "application_uuids",
            "Set environment variables on several Coolify applications (one bulk update each), then restart "
                    + "them if restart_after_update is true. Values are never echoed, logged or stored: the answer "
                    + "names the variables with masked values." + CoolifyTool.ANSWER,
            """
                    {"application_uuids": %s,
                     "env_vars": {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1,
                                  "description": "Variables to set, name to value; at least one"},
                     "restart_after_update": {"type": "boolean", "default": false,
                                  "description": "Restart each application once its variables are set"}}
                    """);

    private static final String ANSWER = " Answers {total, successful, failed, results: [{uuid, status: success|failed, "
            + "error?}]}; when the batch is still running after the wait limit, the answer has batch_id and the "
            + "unfinished items as pending: follow up with get_batch.";

    private static final String IDS_SCHEMA = """
            {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1,
             "description": "Coolify uuids, at least one"}""";

    private final String toolName;
    private final String idsArgument;
    private final String description;
    private final String propertiesTemplate;

    CoolifyTool(String toolName, String idsArgument, String description, String propertiesTemplate) {
        this.toolName = toolName;
        this.idsArgument = idsArgument;
        this.description = description;
        this.propertiesTemplate = propertiesTemplate;
    }

    String toolName() {
        return toolName;
    }

    /** The argument holding the uuids: {@code application_uuids} or {@code service_uuids}. */
    String idsArgument() {
        return idsArgument;
    }

    String description() {
        return description;
    }

    ObjectNode inputSchema() {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        schema.set("properties", Json.read(propertiesTemplate.formatted(IDS_SCHEMA)));
        ArrayNode required = schema.putArray("required").add(idsArgument);
        if (this == UPDATE_ENV_VARS) {
            required.add("env_vars");
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    static Optional<CoolifyTool> named(String name) {
        return Arrays.stream(values()).filter(tool -> tool.toolName.equals(name)).findFirst();
    }
}
