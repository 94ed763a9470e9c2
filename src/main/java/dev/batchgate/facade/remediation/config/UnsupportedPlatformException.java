package dev.batchgate.facade.remediation.config;

/** The platform named in a request has no rules file. */
public final class UnsupportedPlatformException extends IllegalArgumentException {

    public UnsupportedPlatformException(String platform) {
        super("unsupported platform: " + platform);
    }
}
