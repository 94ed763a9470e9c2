package dev.batchgate.trigger.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.RequestFields;
import dev.batchgate.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an item list one line at a time, never more than one line in memory: {@code .txt} has one
 * id per line, {@code .jsonl} one item per line (an id, or {@code {"id", "params"}} as in a batch
 * request), {@code .csv} a header row with an {@code id} column whose other columns are the params.
 * Blank lines are skipped. Each item line comes back with its item or with what is wrong with it.
 */
public final class ItemFileReader implements Iterator<ItemFileReader.Line>, Closeable {

    /** Longer lines are refused rather than read into memory. */
    static final int MAX_LINE_BYTES = 1024 * 1024;

    public enum Format {
        TXT, JSONL, CSV;

        /** The format a file name's extension names, if it is an item list at all. */
        public static Optional<Format> of(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (lower.endsWith("." + f.name().toLowerCase(Locale.ROOT))) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** What is wrong with one line; {@code field} is null when the line as a whole is at fault. */
    public record LineError(int line, String field, String message) {
    }

    /** One item line: {@code index} counts item lines from 0; {@code item} is null when {@code errors} is not empty. */
    public record Line(int number, int index, BatchItem item, List<LineError> errors) {
    }

    private final Format format;
    private final InputStream input;
    private final byte[] buffer = new byte[8192];
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int position;
    private int limit;
    private boolean endOfInput;
    private int lineNumber;
    private int itemIndex;
    private List<String> header;
    private Line next;

    private ItemFileReader(Format format, InputStream input) {
        this.format = format;
        this.input = input;
    }

    /** Opens {@code file}; bytes that are not UTF-8 make the line they are on an error. */
    public static ItemFileReader open(Path file, Format format) throws IOException {
        return new ItemFileReader(format, Files.newInputStream(file));
    }

    /** The physical line number of the last line read (1-based). */
    public int lineNumber() {
        return lineNumber;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = readItemLine();
        }
        return next != null;
    }

    @Override
    public Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Line line = next;
        next = null;
        return line;
    }

    private Line readItemLine() {
        while (true) {
            String text;
            try {
                text = readLine();
            } catch (CharacterCodingException e) {
                return new Line(lineNumber, itemIndex++, null, List.of(new LineError(lineNumber, null, "the line is not UTF-8 text")));
            } catch (LineTooLongException e) {
                return fatal("the line is longer than " + MAX_LINE_BYTES + " bytes");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (text == null) {
                return null;
            }
            if (lineNumber == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            if (format == Format.CSV && header == null) {
                List<LineError> problems = readHeader(text);
                if (!problems.isEmpty()) {
                    return new Line(lineNumber, itemIndex++, null, problems);
                }
                continue;
            }
            return parse(text, itemIndex++);
        }
    }

    /** A problem that ends the reading: the rest of the file cannot be trusted. */
    private Line fatal(String message) {
        endOfInput = true;
        position = limit;
        return new Line(lineNumber + 1, itemIndex++, null, List.of(new LineError(lineNumber + 1, null, message)));
    }

    private Line parse(String text, int index) {
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        JsonNode node;
        switch (format) {
            case TXT -> node = Json.MAPPER.getNodeFactory().textNode(text.strip());
            case JSONL -> {
                try {
                    node = Json.readStrict(text);
                } catch (JsonProcessingException e) {
                    return new Line(lineNumber, index, null, List.of(new LineError(lineNumber, null,
                            "not valid JSON: " + shorten(e.getOriginalMessage()))));
                }
            }
            default -> {
                List<String> cells;
                try {
                    cells = CsvFields.split(text);
                } catch (IllegalArgumentException e) {
                    return new Line(lineNumber, index, null, List.of(new LineError(lineNumber, null, e.getMessage())));
                }
                if (cells.size() != header.size()) {
                    return new Line(lineNumber, index, null, List.of(new LineError(lineNumber, null,
                            "the row has " + cells.size() + " columns, the header has " + header.size())));
                }
                node = csvItem(cells);
            }
        }
        BatchItem item = RequestFields.item(RequestFields.ItemPath.ITEMS, index, node, null, errors);
        if (!errors.isEmpty()) {
            List<LineError> problems = new ArrayList<>();
            for (BadRequestException.FieldError error : errors) {
                problems.add(new LineError(lineNumber, fieldOf(error.field()), error.message()));
            }
            return new Line(lineNumber, index, null, problems);
        }
        return new Line(lineNumber, index, item, List.of());
    }

    private List<LineError> readHeader(String text) {
        List<String> names;
        try {
            names = CsvFields.split(text);
        } catch (IllegalArgumentException e) {
            return List.of(new LineError(lineNumber, null, "header: " + e.getMessage()));
        }
        List<String> trimmed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            if (name.isEmpty()) {
                return List.of(new LineError(lineNumber, null, "header: column " + (i + 1) + " has no name"));
            }
            if (!seen.add(name)) {
                return List.of(new LineError(lineNumber, name, "header: column '" + name + "' appears twice"));
            }
            trimmed.add(name);
        }
        if (!trimmed.contains("id")) {
            return List.of(new LineError(lineNumber, "id", "header: there is no 'id' column (the other columns are params)"));
        }
        header = trimmed;
        return List.of();
    }

    private ObjectNode csvItem(List<String> cells) {
        ObjectNode item = Json.object();
        ObjectNode params = Json.object();
        for (int i = 0; i < cells.size(); i++) {
            if (header.get(i).equals("id")) {
                item.put("id", cells.get(i));
            } else {
                params.put(header.get(i), cells.get(i));
            }
        }
        if (!params.isEmpty()) {
            item.set("params", params);
        }
        return item;
    }

    /** {@code items[3].params} → {@code params}; {@code items[3]} → {@code id}. */
    private static String fieldOf(String requestField) {
        int close = requestField.indexOf(']');
        if (!requestField.startsWith("items[") || close < 0) {
            return requestField;
        }
        String rest = requestField.substring(close + 1);
        return rest.isEmpty() ? "id" : rest.substring(1);
    }

    private static String shorten(String message) {
        String oneLine = message == null ? "" : message.replace('\n', ' ');
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }

    /**
     * The next line without its line break, or null at the end; counts every physical line. Lines are
     * split on bytes and each is decoded on its own, so a bad byte spoils only its own line.
     */
    private String readLine() throws IOException {
        current.reset();
        while (true) {
            if (position == limit) {
                if (endOfInput) {
                    return finishLastLine();
                }
                limit = input.read(buffer);
                position = 0;
                if (limit < 0) {
                    limit = 0;
                    endOfInput = true;
                    return finishLastLine();
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            if (current.size() + (position - start) > MAX_LINE_BYTES) {
                throw new LineTooLongException();
            }
            current.write(buffer, start, position - start);
            if (position < limit) {
                position++;
                lineNumber++;
                return decodeLine();
            }
        }
    }

    private String finishLastLine() throws CharacterCodingException {
        if (current.size() == 0) {
            return null;
        }
        lineNumber++;
        return decodeLine();
    }

    private String decodeLine() throws CharacterCodingException {
        byte[] bytes = current.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        current.reset();
        return decoder.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    }

    private static final class LineTooLongException extends IOException {
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
