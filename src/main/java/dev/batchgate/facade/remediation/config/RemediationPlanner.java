package dev.batchgate.facade.remediation.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes, as a tree, the commands that turn one config into another, the way hier_config's
 * {@code config_to_get_to} does, level by level:
 * <ol>
 *   <li>each line of {@code from} missing from {@code to} is negated, alone (its children go with it),
 *       unless a line of {@code to} overwrites it (an idempotent command);</li>
 *   <li>then, in {@code to}'s order, each line of {@code to} missing from {@code from} is added with all its
 *       children, and each line in both is descended into, kept as context only if something changed below it.</li>
 * </ol>
 * Sections the device replaces as a whole are sent again in full when anything in them changed.
 */
final class RemediationPlanner {

    private final PlatformRules rules;

    RemediationPlanner(PlatformRules rules) {
        this.rules = rules;
    }

    ConfigNode plan(ConfigNode from, ConfigNode to) {
        ConfigNode delta = ConfigNode.root();
        addChanges(from, to, delta);
        return delta;
    }

    private void addChanges(ConfigNode from, ConfigNode to, ConfigNode delta) {
        addNegations(from, to, delta);
        addAdditions(from, to, delta);
    }

    private void addNegations(ConfigNode from, ConfigNode to, ConfigNode delta) {
        Set<String> keysOverwrittenByTo = null;
        for (ConfigNode fromChild : from.children()) {
            if (to.child(fromChild.text()) != null) {
                continue;
            }
            List<String> keys = rules.idempotentKeys(from, fromChild.text());
            if (!keys.isEmpty()) {
                if (keysOverwrittenByTo == null) {
                    keysOverwrittenByTo = idempotentKeysOfChildren(to);
                }
                if (containsAny(keysOverwrittenByTo, keys)) {
                    continue;
                }
            }
            delta.addChild(rules.negationOf(from, fromChild.text()));
        }
    }

    private void addAdditions(ConfigNode from, ConfigNode to, ConfigNode delta) {
        for (ConfigNode toChild : to.children()) {
            ConfigNode fromChild = from.child(toChild.text());
            if (fromChild == null) {
                delta.addCopyOf(toChild);
                continue;
            }
            PlatformRules.SectionOverwriteRule overwrite = rules.sectionOverwrite(to, toChild.text());
            if (overwrite != null) {
                if (!fromChild.sameSubtreeAs(toChild)) {
                    if (overwrite.negateFirst()) {
                        delta.addChild(rules.negationOf(from, fromChild.text()));
                    }
                    delta.addCopyOf(toChild);
                }
                continue;
            }
            ConfigNode context = delta.detachedChild(toChild.text());
            addChanges(fromChild, toChild, context);
            if (context.hasChildren()) {
                delta.adopt(context);
            }
        }
    }

    private Set<String> idempotentKeysOfChildren(ConfigNode section) {
        Set<String> keys = new HashSet<>();
        for (ConfigNode child : section.children()) {
            keys.addAll(rules.idempotentKeys(section, child.text()));
        }
        return keys;
    }

    private static boolean containsAny(Set<String> set, List<String> candidates) {
        for (String candidate : candidates) {
            if (set.contains(candidate)) {
                return true;
            }
        }
        return false;
    }
}
