package dev.batchgate.facade.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.RequestFields;
import dev.batchgate.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code {"device_configs": [{device_id, platform, running_config, intended_config}, ...]}} into batch
 * items: the device id is the item id, the rest are its params (so they are in the job store and a restart
 * can resume the job). Every problem is reported with the device's index and field; an unknown platform is
 * not one of them, since it fails that device alone.
 */
public final class RemediationRequest {

    static final String DEVICES = "device_configs";
    private static final List<String> CONFIG_FIELDS = List.of("platform", "running_config", "intended_config");

    private RemediationRequest() {
    }

    public static List<BatchItem> parse(JsonNode body, int maxDevices) {
        if (body == null || !body.isObject()) {
            throw BadRequestException.invalid("the body must be a JSON object like {\"device_configs\": [{\"device_id\": \"router1\", "
                    + "\"platform\": \"cisco_ios\", \"running_config\": \"...\", \"intended_config\": \"...\"}]}");
        }
        JsonNode devices = body.get(DEVICES);
        if (devices == null || devices.isNull()) {
            throw BadRequestException.of(List.of(new BadRequestException.FieldError(DEVICES, null, "required, a list of device configs")));
        }
        if (!devices.isArray()) {
            throw BadRequestException.of(List.of(new BadRequestException.FieldError(DEVICES, null, "must be a list of device configs")));
        }
        if (devices.isEmpty()) {
            throw BadRequestException.of(List.of(new BadRequestException.FieldError(DEVICES, null, "must not be empty")));
        }
        RequestFields.itemCount(devices.size(), maxDevices, "devices", null);
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        List<BatchItem> items = new ArrayList<>(devices.size());
        RequestFields.SeenIds seen = new RequestFields.SeenIds();
        for (int i = 0; i < devices.size(); i++) {
            BatchItem item = device(i, devices.get(i), errors);
            if (item == null) {
                continue;
            }
            seen.add(item, DEVICES + "[" + i + "].device_id", "device_id", first -> DEVICES + "[" + first + "]", errors);
            items.add(item);
        }
        if (!errors.isEmpty()) {
            throw BadRequestException.of(errors);
        }
        return items;
    }

    private static BatchItem device(int index, JsonNode device, List<BadRequestException.FieldError> errors) {
        if (!device.isObject()) {
            errors.add(new BadRequestException.FieldError(DEVICES + "[" + index + "]", index,
                    "must be an object with device_id, platform, running_config and intended_config"));
            return null;
        }
        int before = errors.size();
        JsonNode id = device.get("device_id");
        if (isMissing(id)) {
            errors.add(error(index, "device_id", "required"));
        } else if (!id.isTextual()) {
            errors.add(error(index, "device_id", "must be a string"));
        } else {
            // the engine's own id rules (not empty, no control characters, not too long)
            RequestFields.id(index, id, DEVICES + "[" + index + "].device_id", "device_id", errors);
        }
        ObjectNode params = Json.object();
        for (String field : CONFIG_FIELDS) {
            JsonNode value = device.get(field);
            if (isMissing(value)) {
                errors.add(error(index, field, "required"));
            } else if (!value.isTextual()) {
                errors.add(error(index, field, "must be a string"));
            } else if (field.equals("platform") && value.asText().isBlank()) {
                errors.add(error(index, field, "must not be empty"));
            } else {
                params.set(field, value);
            }
        }
        return errors.size() == before ? new BatchItem(index, id, params) : null;
    }

    private static boolean isMissing(JsonNode value) {
        return value == null || value.isNull();
    }

    private static BadRequestException.FieldError error(int index, String field, String message) {
        return new BadRequestException.FieldError(DEVICES + "[" + index + "]." + field, index, message);
    }
}
