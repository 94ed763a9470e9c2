package dev.batchgate.facade.remediation.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test on the text of one config line, as in hier_config's {@code MatchRule}; every given field must hold.
 *
 * @param equals     the whole line
 * @param startsWith any one of these prefixes
 * @param contains   a substring
 * @param regex      found anywhere in the line; its capturing groups form the key of an idempotent command
 */
record LineMatch(
        String equals,
        List<String> startsWith,
        String contains,
        Pattern regex) {

    LineMatch {
        if (equals == null && startsWith == null && contains == null && regex == null) {
            throw new IllegalArgumentException("a line match needs equals, startsWith, contains or regex");
        }
    }

    boolean matches(String text) {
        return (equals == null || equals.equals(text))
                && (startsWith == null || startsWithAny(text))
                && (contains == null || text.contains(contains))
                && (regex == null || regex.matcher(text).find());
    }

    /** The regex's capturing groups joined, or "" when there are none; only call after {@link #matches}. */
    String capturedKey(String text) {
        if (regex == null) {
            return "";
        }
        Matcher matcher = regex.matcher(text);
        if (!matcher.find() || matcher.groupCount() == 0) {
            return "";
        }
        StringBuilder key = new StringBuilder();
        for (int group = 1; group <= matcher.groupCount(); group++) {
            key.append('\u0000').append(matcher.group(group));
        }
        return key.toString();
    }

    /**
     * hier_config's lineage test: the line and its ancestors, read upwards, match the rules read backwards,
     * and there are exactly as many rules as the line is deep.
     */
    static boolean lineageMatches(List<LineMatch> lineage, ConfigNode parent, String text) {
        int last = lineage.size() - 1;
        if (parent.depth() != last || !lineage.get(last).matches(text)) {
            return false;
        }
        ConfigNode ancestor = parent;
        for (int level = last - 1; level >= 0; level--) {
            if (!lineage.get(level).matches(ancestor.text())) {
                return false;
            }
            ancestor = ancestor.parent();
        }
        return true;
    }

    private boolean startsWithAny(String text) {
        for (String prefix : startsWith) {
            if (text.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
