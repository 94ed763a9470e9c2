package dev.batchgate.facade.remediation.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a config and the lines indented under it. The root has no text and depth 0.
 * Children keep their config order and are indexed by text, so finding a line among its siblings is O(1).
 */
final class ConfigNode {

    private final ConfigNode parent;
    private final String text;
    private final int depth;
    private final List<ConfigNode> children = new ArrayList<>(0);
    private Map<String, ConfigNode> childrenByText;

    private ConfigNode(ConfigNode parent, String text) {
        this.parent = parent;
        this.text = text;
        this.depth = parent == null ? 0 : parent.depth + 1;
    }

    static ConfigNode root() {
        return new ConfigNode(null, null);
    }

    ConfigNode parent() {
        return parent;
    }

    String text() {
        return text;
    }

    int depth() {
        return depth;
    }

    List<ConfigNode> children() {
        return children;
    }

    boolean hasChildren() {
        return !children.isEmpty();
    }

    ConfigNode child(String childText) {
        return childrenByText == null ? null : childrenByText.get(childText);
    }

    /** Adds a line, or returns the sibling with the same text so that repeated sections merge. */
    ConfigNode addChild(String childText) {
        ConfigNode existing = child(childText);
        return existing != null ? existing : appendChild(childText);
    }

    /** Adds a line even when a sibling has the same text (IOS-XR route-policy: several {@code endif}). */
    ConfigNode appendChild(String childText) {
        ConfigNode child = new ConfigNode(this, childText);
        children.add(child);
        if (childrenByText == null) {
            childrenByText = new HashMap<>();
        }
        childrenByText.putIfAbsent(childText, child);
        return child;
    }

    /** A line that knows its parent (so rules can test its lineage) but is added only by {@link #adopt}. */
    ConfigNode detachedChild(String childText) {
        return new ConfigNode(this, childText);
    }

    /** Adds a detached child made by {@link #detachedChild}, merging it into a sibling with the same text. */
    void adopt(ConfigNode detached) {
        ConfigNode existing = child(detached.text);
        if (existing == null) {
            children.add(detached);
            if (childrenByText == null) {
                childrenByText = new HashMap<>();
            }
            childrenByText.put(detached.text, detached);
            return;
        }
        for (ConfigNode grandChild : detached.children) {
            existing.addCopyOf(grandChild);
        }
    }

    /** Adds a copy of {@code source} and everything under it, merging only at this level. */
    void addCopyOf(ConfigNode source) {
        ConfigNode copy = addChild(source.text);
        for (ConfigNode sourceChild : source.children) {
            copy.appendCopyOf(sourceChild);
        }
    }

    private void appendCopyOf(ConfigNode source) {
        ConfigNode copy = appendChild(source.text);
        for (ConfigNode sourceChild : source.children) {
            copy.appendCopyOf(sourceChild);
        }
    }

    /** Same lines in the same order all the way down. */
    boolean sameSubtreeAs(ConfigNode other) {
        if (!text.equals(other.text) || children.size() != other.children.size()) {
            return false;
        }
        for (int i = 0; i < children.size(); i++) {
            if (!children.get(i).sameSubtreeAs(other.children.get(i))) {
                return false;
            }
        }
        return true;
    }
}
