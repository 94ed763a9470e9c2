package dev.batchgate.facade.remediation;

/**
 * One device cannot be remediated (unknown platform, a config the parser rejects). Not retryable: the
 * same input fails the same way. The message is safe to show: secrets are already masked.
 */
public final class DeviceRemediationException extends RuntimeException {

    public DeviceRemediationException(String message) {
        super(message, null, false, false);
    }
}
