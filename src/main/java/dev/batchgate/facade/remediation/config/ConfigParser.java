package dev.batchgate.facade.remediation.config;

import java.util.Arrays;
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
    private final String config;
    /** Where each line starts and ends in {@code config}, so that lines are not copied before they are read. */
    private int[] lineStarts = new int[64];
    private int[] lineEnds = new int[64];
    private int lineCount;
    private ConfigNode[] openSections = new ConfigNode[16];
    private int[] openColumns = new int[16];
    private int innermost;

    private ConfigParser(String label, String text, PlatformRules rules) {
        this.label = label;
        this.rules = rules;
        this.config = text;
        findLines();
    }

    /** {@code label} names the config in error messages, e.g. "running config". */
    static ConfigNode parse(String label, String text, PlatformRules rules) {
        return new ConfigParser(label, text, rules).parse();
    }

    private ConfigNode parse() {
        ConfigNode root = ConfigNode.root();
        openSections[0] = root;
        openColumns[0] = -1;
        for (int index = 0; index < lineCount; index++) {
            int lineStart = lineStarts[index];
            int end = endOfContent(lineStart, lineEnds[index]);
            int start = startOfContent(lineStart, end);
            if (start == end) {
                continue;
            }
            int column = start - lineStart;
            String text = collapseWhitespace(start, end);
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
        for (int index = firstIndex + 1; index < lineCount; index++) {
            String line = config.substring(lineStarts[index], endOfContent(lineStarts[index], lineEnds[index]));
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

    private void findLines() {
        int length = config.length();
        int start = 0;
        for (int index = 0; index < length; index++) {
            char character = config.charAt(index);
            if (character == '\n' || character == '\r') {
                addLine(start, index);
                if (character == '\r' && index + 1 < length && config.charAt(index + 1) == '\n') {
                    index++;
                }
                start = index + 1;
            }
        }
        if (start < length) {
            addLine(start, length);
        }
    }

    private void addLine(int start, int end) {
        if (lineCount == lineStarts.length) {
            lineStarts = Arrays.copyOf(lineStarts, lineCount * 2);
            lineEnds = Arrays.copyOf(lineEnds, lineCount * 2);
        }
        lineStarts[lineCount] = start;
        lineEnds[lineCount] = end;
        lineCount++;
    }

    private int endOfContent(int start, int end) {
        while (end > start && Character.isWhitespace(config.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private int startOfContent(int start, int end) {
        while (start < end && Character.isWhitespace(config.charAt(start))) {
            start++;
        }
        return start;
    }

    private String collapseWhitespace(int start, int end) {
        StringBuilder collapsed = null;
        boolean previousWasSpace = false;
        for (int index = start; index < end; index++) {
            char character = config.charAt(index);
            boolean space = Character.isWhitespace(character);
            if (collapsed == null && space && (character != ' ' || previousWasSpace)) {
                collapsed = new StringBuilder(end - start).append(config, start, index - (previousWasSpace ? 1 : 0));
                if (previousWasSpace) {
                    collapsed.append(' ');
                }
            }
            if (collapsed != null && !(space && previousWasSpace)) {
                collapsed.append(space ? ' ' : character);
            }
            previousWasSpace = space;
        }
        return collapsed == null ? config.substring(start, end) : collapsed.toString();
    }
}
