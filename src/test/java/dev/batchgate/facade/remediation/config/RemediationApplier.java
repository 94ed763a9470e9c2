package dev.batchgate.facade.remediation.config;

import java.util.List;

/**
 * Applies remediation text to a config the way the device would, using the platform's own rules:
 * {@code no X} removes X, {@code default X} removes X whatever its value, an idempotent command replaces the
 * sibling it overwrites, a section the device replaces as a whole is replaced, anything else is added.
 */
final class RemediationApplier {

    private final PlatformRules rules;

    RemediationApplier(PlatformRules rules) {
        this.rules = rules;
    }

    void apply(DeviceConfig device, String commands) {
        applyChildren(device, ConfigParser.parse("commands", commands, rules));
    }

    private void applyChildren(DeviceConfig section, ConfigNode commands) {
        for (ConfigNode command : commands.children()) {
            String text = command.text();
            if (text.startsWith("no ")) {
                String positive = text.substring("no ".length());
                section.children().remove(positive);
                section.children().put(text, new DeviceConfig());
            } else if (text.startsWith("default ")) {
                String positive = text.substring("default ".length());
                section.children().keySet().removeIf(line -> line.equals(positive) || line.startsWith(positive + " "));
            } else {
                removeOverwrittenSiblings(section, command);
                section.children().remove("no " + text);
                if (rules.sectionOverwrite(commands, text) != null) {
                    section.children().put(text, DeviceConfig.copyOf(command));
                } else {
                    applyChildren(section.section(text), command);
                }
            }
        }
    }

    private void removeOverwrittenSiblings(DeviceConfig section, ConfigNode command) {
        List<String> keys = rules.idempotentKeys(command.parent(), command.text());
        if (!keys.isEmpty()) {
            section.children().keySet().removeIf(sibling -> !sibling.equals(command.text())
                    && rules.idempotentKeys(command.parent(), sibling).stream().anyMatch(keys::contains));
        }
    }
}
