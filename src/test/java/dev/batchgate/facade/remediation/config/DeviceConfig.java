package dev.batchgate.facade.remediation.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A mutable copy of a config tree that {@link RemediationApplier} changes the way a device would. */
final class DeviceConfig {

    private final Map<String, DeviceConfig> children = new LinkedHashMap<>();

    static DeviceConfig copyOf(ConfigNode node) {
        DeviceConfig copy = new DeviceConfig();
        for (ConfigNode child : node.children()) {
            copy.children.put(child.text(), copyOf(child));
        }
        return copy;
    }

    Map<String, DeviceConfig> children() {
        return children;
    }

    DeviceConfig section(String text) {
        return children.computeIfAbsent(text, ignored -> new DeviceConfig());
    }

    /**
     * The tree as sorted text, without leaf {@code no X} lines: {@code no X} and the absence of {@code X} are
     * the same state, so a remediation may leave either one.
     */
    String canonical() {
        List<String> lines = new ArrayList<>();
        children.forEach((text, child) -> {
            String below = child.canonical();
            if (!(text.startsWith("no ") && below.isEmpty())) {
                lines.add(below.isEmpty() ? text : text + " {" + below + "}");
            }
        });
        lines.sort(null);
        return String.join("; ", lines);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
