package dev.batchgate.facade.remediation.config;

/**
 * The commands that take a device from its running config to its intended config, and back.
 *
 * @param remediation newline-joined commands to paste into the device, "" when nothing differs
 * @param rollback    newline-joined commands that undo {@code remediation}, "" when nothing differs
 */
public record Remediation(String remediation, String rollback) {
}
