package dev.batchgate.facade.remediation.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How one platform's configs are read and negated, loaded from {@code remediation/platforms/<platform>.json}.
 * The rule kinds and their meaning follow hier_config's drivers; a rule's {@code lineage} lists one
 * {@link LineMatch} per level, from the top-level line down to the line the rule is about.
 */
final class PlatformRules {

    private static final String NEGATION_PREFIX = "no ";

    private final Set<String> sectionTerminators;
    private final Pattern ignoredLines;
    /** ASCII characters that can start an ignored line, so most lines skip the regex. */
    private final boolean[] ignoredLineFirstCharacters = new boolean[128];
    private final List<LineageRule> idempotentCommands;
    private final List<LineageRule> idempotentCommandsAvoid;
    private final List<NegationRule> negations;
    private final List<SectionOverwriteRule> sectionOverwrites;
    private final List<LineageRule> duplicateChildrenAllowed;
    private final List<SectionExitRule> sectionExits;
    private final List<OrderingRule> ordering;

    /** A line whose parents and text match {@code lineage}. */
    @JsonIgnoreProperties("why")
    record LineageRule(List<LineMatch> lineage) {

        LineageRule {
            requireLineage(lineage);
        }

        boolean appliesTo(ConfigNode parent, String text) {
            return LineMatch.lineageMatches(lineage, parent, text);
        }
    }

    /**
     * How to remove a line other than by {@code no <line>}: a fixed command ({@code use}, hier_config's
     * negate_with), {@code default <line>} (hier_config's negation_default_when), or {@code no} followed by
     * the line's first {@code keepWords} words.
     */
    @JsonIgnoreProperties("why")
    record NegationRule(List<LineMatch> lineage, String use, boolean useDefault, Integer keepWords) {

        NegationRule {
            requireLineage(lineage);
            int forms = (use != null ? 1 : 0) + (useDefault ? 1 : 0) + (keepWords != null ? 1 : 0);
            if (forms != 1) {
                throw new IllegalArgumentException("a negation rule needs exactly one of use, useDefault, keepWords");
            }
        }

        String negate(String text) {
            if (use != null) {
                return use;
            }
            String positive = withoutNegation(text);
            if (useDefault) {
                return "default " + positive;
            }
            String[] words = positive.split("\\s+", keepWords + 1);
            return NEGATION_PREFIX + String.join(" ", List.of(words).subList(0, Math.min(keepWords, words.length)));
        }
    }

    /** A section that the device replaces as a whole, so a changed one is sent again in full. */
    @JsonIgnoreProperties("why")
    record SectionOverwriteRule(List<LineMatch> lineage, boolean negateFirst) {

        SectionOverwriteRule {
            requireLineage(lineage);
        }
    }

    /** A section that the device only accepts when it is closed by {@code exitText}. */
    @JsonIgnoreProperties("why")
    record SectionExitRule(List<LineMatch> lineage, String exitText) {

        SectionExitRule {
            requireLineage(lineage);
            if (exitText == null || exitText.isBlank()) {
                throw new IllegalArgumentException("a section exit rule needs an exitText");
            }
        }
    }

    /** Lines with a positive weight sink below their siblings, a negative one rises above them. */
    @JsonIgnoreProperties("why")
    record OrderingRule(List<LineMatch> lineage, int weight) {

        OrderingRule {
            requireLineage(lineage);
        }
    }

    @JsonCreator
    PlatformRules(
            @JsonProperty("sectionTerminators") List<String> sectionTerminators,
            @JsonProperty("ignoredLines") List<String> ignoredLines,
            @JsonProperty("idempotentCommands") List<LineageRule> idempotentCommands,
            @JsonProperty("idempotentCommandsAvoid") List<LineageRule> idempotentCommandsAvoid,
            @JsonProperty("negations") List<NegationRule> negations,
            @JsonProperty("sectionOverwrites") List<SectionOverwriteRule> sectionOverwrites,
            @JsonProperty("duplicateChildrenAllowed") List<LineageRule> duplicateChildrenAllowed,
            @JsonProperty("sectionExits") List<SectionExitRule> sectionExits,
            @JsonProperty("ordering") List<OrderingRule> ordering) {
        this.sectionTerminators = Set.copyOf(orEmpty(sectionTerminators));
        // one alternation, matched from the start of the line, keeps the per-line cost to a single regex
        this.ignoredLines = orEmpty(ignoredLines).isEmpty()
                ? null
                : Pattern.compile(orEmpty(ignoredLines).stream().map(regex -> "(?:" + regex + ")")
                        .collect(Collectors.joining("|")));
        if (this.ignoredLines != null) {
            Matcher probe = this.ignoredLines.matcher("");
            for (char first = 0; first < ignoredLineFirstCharacters.length; first++) {
                // a regex that can match text starting with this character matches it or wants more input
                probe.reset(String.valueOf(first));
                ignoredLineFirstCharacters[first] = probe.lookingAt() || probe.hitEnd();
            }
        }
        this.idempotentCommands = orEmpty(idempotentCommands);
        this.idempotentCommandsAvoid = orEmpty(idempotentCommandsAvoid);
        this.negations = orEmpty(negations);
        this.sectionOverwrites = orEmpty(sectionOverwrites);
        this.duplicateChildrenAllowed = orEmpty(duplicateChildrenAllowed);
        this.sectionExits = orEmpty(sectionExits);
        this.ordering = orEmpty(ordering);
    }

    /** Section terminators ({@code exit}, {@code end-policy}…) and the platform's ignored lines are no config. */
    boolean isNotConfig(String text) {
        if (sectionTerminators.contains(text)) {
            return true;
        }
        if (ignoredLines == null) {
            return false;
        }
        char first = text.charAt(0);
        return (first >= ignoredLineFirstCharacters.length || ignoredLineFirstCharacters[first])
                && ignoredLines.matcher(text).lookingAt();
    }

    /**
     * The keys under which {@code text} overwrites a sibling instead of adding to it: two sibling lines
     * sharing a key are the same setting with different values. Empty when the line is not idempotent.
     */
    List<String> idempotentKeys(ConfigNode parent, String text) {
        for (LineageRule avoid : idempotentCommandsAvoid) {
            if (avoid.appliesTo(parent, text)) {
                return List.of();
            }
        }
        List<String> keys = List.of();
        for (int index = 0; index < idempotentCommands.size(); index++) {
            LineageRule rule = idempotentCommands.get(index);
            if (rule.appliesTo(parent, text)) {
                if (keys.isEmpty()) {
                    keys = new ArrayList<>(1);
                }
                keys.add(index + rule.lineage().get(rule.lineage().size() - 1).capturedKey(text));
            }
        }
        return keys;
    }

    /** The command that removes {@code text}: {@code no text}, the text without its {@code no}, or a rule's form. */
    String negationOf(ConfigNode parent, String text) {
        for (NegationRule rule : negations) {
            if (LineMatch.lineageMatches(rule.lineage(), parent, text)) {
                return rule.negate(text);
            }
        }
        return text.startsWith(NEGATION_PREFIX) ? withoutNegation(text) : NEGATION_PREFIX + text;
    }

    SectionOverwriteRule sectionOverwrite(ConfigNode parent, String text) {
        for (SectionOverwriteRule rule : sectionOverwrites) {
            if (LineMatch.lineageMatches(rule.lineage(), parent, text)) {
                return rule;
            }
        }
        return null;
    }

    boolean allowsDuplicateChildren(ConfigNode section) {
        if (section.parent() == null) {
            return false;
        }
        for (LineageRule rule : duplicateChildrenAllowed) {
            if (rule.appliesTo(section.parent(), section.text())) {
                return true;
            }
        }
        return false;
    }

    String sectionExit(ConfigNode section) {
        for (SectionExitRule rule : sectionExits) {
            if (LineMatch.lineageMatches(rule.lineage(), section.parent(), section.text())) {
                return rule.exitText();
            }
        }
        return null;
    }

    /** As hier_config's set_order_weight: the last matching rule wins, 0 when none matches. */
    int orderWeight(ConfigNode parent, String text) {
        int weight = 0;
        for (OrderingRule rule : ordering) {
            if (LineMatch.lineageMatches(rule.lineage(), parent, text)) {
                weight = rule.weight();
            }
        }
        return weight;
    }

    boolean hasOrdering() {
        return !ordering.isEmpty();
    }

    private static String withoutNegation(String text) {
        return text.startsWith(NEGATION_PREFIX) ? text.substring(NEGATION_PREFIX.length()) : text;
    }

    private static void requireLineage(List<LineMatch> lineage) {
        if (lineage == null || lineage.isEmpty()) {
            throw new IllegalArgumentException("a rule needs a non-empty lineage");
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
