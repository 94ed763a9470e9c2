package dev.batchgate.facade.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.facade.remediation.config.ConfigSecrets;
import dev.batchgate.facade.remediation.config.Remediation;
import dev.batchgate.facade.remediation.config.RemediationEngine;
import dev.batchgate.json.Json;
import java.io.UncheckedIOException;

/**
 * The bean behind {@code direct:remediate} ({@code routes/facade-remediation.camel.yaml}): computes one
 * device's remediation and rollback from the item's params ({@code platform}, {@code running_config},
 * {@code intended_config}). A device the engine cannot handle throws {@link DeviceRemediationException},
 * which fails that item alone.
 */
public final class DeviceRemediation {

    private final RemediationEngine engine;

    public DeviceRemediation(RemediationEngine engine) {
        this.engine = engine;
    }

    public Remediation remediate(String deviceJson) {
        JsonNode device = device(deviceJson);
        try {
            return engine.remediate(text(device, "platform"), text(device, "running_config"), text(device, "intended_config"));
        } catch (RuntimeException e) {
            // messages may quote config lines: mask them before they reach the job store or a log
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new DeviceRemediationException(ConfigSecrets.mask(message));
        }
    }

    private static JsonNode device(String deviceJson) {
        if (deviceJson == null || deviceJson.isBlank()) {
            throw new DeviceRemediationException("no device config given (params platform, running_config, intended_config)");
        }
        try {
            JsonNode device = Json.read(deviceJson);
            if (!device.isObject()) {
                throw new DeviceRemediationException("the device config must be a JSON object");
            }
            return device;
        } catch (UncheckedIOException e) {
            throw new DeviceRemediationException("the device config is not valid JSON");
        }
    }

    private static String text(JsonNode device, String field) {
        JsonNode value = device.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
