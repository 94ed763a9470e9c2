package dev.batchgate.remediation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads a config into an indentation tree: a line indented deeper than the line before it is that line's child.
 *
 * <p>Not config: blank lines, {@code !} and {@code #} comments, and the platform's section terminators and
 * ignored lines. Whitespace inside a line is collapsed and trailing whitespace dropped, so whitespace-only
 * differences are no differences. A tab counts as one column, like a space (as hier_config counts it), so a
 * config indented with tabs throughout parses the same as one indented with single spaces. A multi-line
 * {@code banner} is kept as one line whose text spans the banner.
 */
final class ConfigParser {

    private static final int MAX_QUOTED_LENGTH = 60;

    private final String label;
    private final PlatformRules rules;
    private final List<String> lines;
    private ConfigNode[] openSections = new ConfigNode[16];
    private int[] openColumns = new int[16];
    private int innermost;

    private ConfigParser(String label, String text, PlatformRules rules) {
        this.label = label;
        this.rules = rules;
        this.lines = splitLines(text);
    }

    /** {@code label} names the config in error messages, e.g. "running config". */
    static ConfigNode parse(String label, String text, PlatformRules rules) {
        return new ConfigParser(label, text, rules).parse();
    }

    private ConfigNode parse() {
        ConfigNode root = ConfigNode.root();
        openSections[0] = root;
        openColumns[0] = -1;
        for (int index = 0; index < lines.size(); index++) {
            String raw = lines.get(index);
            int end = endOfContent(raw);
            int column = startOfContent(raw, end);
            if (column == end) {
                continue;
            }
            String text = collapseWhitespace(raw, column, end);
            char first = text.charAt(0);
            if (first == '!' || first == '#') {
                continue;
            }
            if (column == 0 && text.startsWith("banner ")) {
                index = readBanner(index, text, root);
                continue;
            }
            if (rules.isNotConfig(text)) {
                continue;
            }
            place(index + 1, column, text);
        }
        return root;
    }

    private void place(int lineNumber, int column, String text) {
        if (column <= openColumns[innermost]) {
            int previousInnermost = innermost;
            while (openColumns[innermost] > column) {
                innermost--;
            }
            if (openColumns[innermost] != column) {
                throw new ConfigParseException(String.format(
                        "%s, line %d: '%s' is indented to column %d, which lines up with none of its enclosing "
                                + "sections (columns %s), so its parent is ambiguous",
                        label, lineNumber, quoted(text), column, openColumnsUpTo(previousInnermost)));
            }
            innermost--;
        }
        ConfigNode parent = openSections[innermost];
        if (parent.depth() == 0 && column > 0) {
            throw new ConfigParseException(String.format(
                    "%s, line %d: '%s' is indented but no line above it opens a section (a child with no parent)",
                    label, lineNumber, quoted(text)));
        }
        ConfigNode node = rules.allowsDuplicateChildren(parent) ? parent.appendChild(text) : parent.addChild(text);
        open(node, column);
    }

    private void open(ConfigNode node, int column) {
        innermost++;
        if (innermost == openSections.length) {
            openSections = Arrays.copyOf(openSections, innermost * 2);
            openColumns = Arrays.copyOf(openColumns, innermost * 2);
        }
        openSections[innermost] = node;
        openColumns[innermost] = column;
    }

    private String openColumnsUpTo(int deepest) {
        return IntStream.rangeClosed(1, deepest).mapToObj(level -> String.valueOf(openColumns[level]))
                .collect(Collectors.joining(", "));
    }

    /**
     * Joins a banner into one line: from {@code banner <type> <delimiter>} to the next line holding the
     * delimiter ({@code ^C} on IOS), or to {@code EOF} when no delimiter is given (Arista EOS).
     * Returns the index of the banner's last line.
     */
    private int readBanner(int firstIndex, String firstLine, ConfigNode root) {
        String[] words = firstLine.split(" ", 4);
        String delimiter = words.length < 3 ? null : words[2].startsWith("^C") ? "^C" : words[2].substring(0, 1);
        int bodyStart = delimiter == null ? -1 : firstLine.indexOf(delimiter, firstLine.indexOf(words[2]))
                + delimiter.length();
        innermost = 0;
        if (delimiter != null && firstLine.indexOf(delimiter, bodyStart) >= 0) {
            open(root.addChild(firstLine), 0);
            return firstIndex;
        }
        StringBuilder banner = new StringBuilder(firstLine);
        for (int index = firstIndex + 1; index < lines.size(); index++) {
            String line = lines.get(index).stripTrailing();
            banner.append('\n').append(line);
            boolean closed = delimiter == null ? line.strip().equals("EOF") : line.contains(delimiter);
            if (closed) {
                open(root.addChild(banner.toString()), 0);
                return index;
            }
        }
        throw new ConfigParseException(String.format("%s, line %d: the banner is never closed by '%s'",
                label, firstIndex + 1, delimiter == null ? "EOF" : delimiter));
    }

    private static String quoted(String text) {
        String masked = ConfigSecrets.mask(text);
        return masked.length() <= MAX_QUOTED_LENGTH ? masked : masked.substring(0, MAX_QUOTED_LENGTH) + "…";
    }

    private static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>(text.length() / 24 + 1);
        int start = 0;
        int length = text.length();
        for (int index = 0; index < length; index++) {
            char character = text.charAt(index);
            if (character == '\n' || character == '\r') {
                lines.add(text.substring(start, index));
                if (character == '\r' && index + 1 < length && text.charAt(index + 1) == '\n') {
                    index++;
                }
                start = index + 1;
            }
        }
        if (start < length) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static int endOfContent(String raw) {
        int end = raw.length();
        while (end > 0 && Character.isWhitespace(raw.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private static int startOfContent(String raw, int end) {
        int start = 0;
        while (start < end && Character.isWhitespace(raw.charAt(start))) {
            start++;
        }
        return start;
    }

    private static String collapseWhitespace(String raw, int start, int end) {
        StringBuilder collapsed = null;
        boolean previousWasSpace = false;
        for (int index = start; index < end; index++) {
            char character = raw.charAt(index);
            boolean space = Character.isWhitespace(character);
            if (collapsed == null && (space && (character != ' ' || previousWasSpace))) {
                collapsed = new StringBuilder(end - start).append(raw, start, index - (previousWasSpace ? 1 : 0));
                if (previousWasSpace) {
                    collapsed.append(' ');
                }
            }
            if (collapsed != null && !(space && previousWasSpace)) {
                collapsed.append(space ? ' ' : character);
            }
            previousWasSpace = space;
        }
        return collapsed == null ? raw.substring(start, end) : collapsed.toString();
    }
}
