package dev.batchgate.facade.remediation.config;

/** A config text cannot be read as an indentation tree; the message names the line and the reason. */
public final class ConfigParseException extends IllegalArgumentException {

    public ConfigParseException(String message) {
        super(message);
    }
}
