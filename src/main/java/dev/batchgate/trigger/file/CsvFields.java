package dev.batchgate.trigger.file;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into its fields (RFC 4180: comma separated, fields may be quoted with
 * {@code "} and a quote inside a quoted field is doubled). A field cannot span lines.
 */
final class CsvFields {

    private CsvFields() {
    }

    /** @throws IllegalArgumentException naming the column when the quoting is broken */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i = quoted(line, i + 1, field, fields.size() + 1);
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("column " + (fields.size() + 1)
                            + ": unexpected text after a closing quote (a quote inside a quoted field is written \"\")");
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    field.append(line.charAt(i++));
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= line.length()) {
                return fields;
            }
            i++;
        }
    }

    /** Reads a quoted field starting after its opening quote; returns the index after the closing quote. */
    private static int quoted(String line, int from, StringBuilder field, int column) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            field.append(c);
            i++;
        }
        throw new IllegalArgumentException("column " + column + ": a quoted field is not closed on this line");
    }
}
