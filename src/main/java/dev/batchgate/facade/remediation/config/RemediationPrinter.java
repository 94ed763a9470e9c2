package dev.batchgate.facade.remediation.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a change tree as the commands an engineer pastes into the device: each section line before its
 * changed children, children indented one space per level as IOS shows them, siblings in plan order unless
 * an ordering rule moves them, and a closing line after the sections that need one (IOS-XR {@code end-policy}).
 */
final class RemediationPrinter {

    private final PlatformRules rules;
    private final StringBuilder text = new StringBuilder();

    private RemediationPrinter(PlatformRules rules) {
        this.rules = rules;
    }

    static String print(ConfigNode delta, PlatformRules rules) {
        RemediationPrinter printer = new RemediationPrinter(rules);
        printer.printChildren(delta);
        return printer.text.toString();
    }

    private void printChildren(ConfigNode section) {
        for (ConfigNode child : ordered(section)) {
            printLine(child.depth(), child.text());
            printChildren(child);
            String exit = child.hasChildren() ? rules.sectionExit(child) : null;
            if (exit != null) {
                printLine(child.depth(), exit);
            }
        }
    }

    private List<ConfigNode> ordered(ConfigNode section) {
        List<ConfigNode> children = section.children();
        if (!rules.hasOrdering() || children.size() < 2) {
            return children;
        }
        Map<ConfigNode, Integer> weights = new IdentityHashMap<>(children.size());
        boolean anyWeight = false;
        for (ConfigNode child : children) {
            int weight = rules.orderWeight(section, child.text());
            weights.put(child, weight);
            anyWeight |= weight != 0;
        }
        if (!anyWeight) {
            return children;
        }
        List<ConfigNode> sorted = new ArrayList<>(children);
        // List.sort is stable, so lines of equal weight keep the plan's order
        sorted.sort(Comparator.comparingInt(weights::get));
        return sorted;
    }

    private void printLine(int depth, String line) {
        if (!text.isEmpty()) {
            text.append('\n');
        }
        text.append(" ".repeat(depth - 1)).append(line);
    }
}
