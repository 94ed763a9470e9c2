package dev.batchgate.trigger.file;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * The outbox folder: {@code <name>.summary.json} and {@code <name>.results.jsonl} of a finished file
 * batch, {@code <name>.error.json} of a rejected file. Nothing is overwritten: when a file of that
 * name is there already, the new ones are named {@code <name>-<batchId>}. Each file is written under
 * a hidden temporary name and renamed, so a reader never sees half a file; the summary comes last.
 */
final class Outbox {

    static final String SUMMARY = ".summary.json";
    static final String RESULTS = ".results.jsonl";
    static final String ERROR = ".error.json";
    private static final List<String> SUFFIXES = List.of(SUMMARY, RESULTS, ERROR);

    private final Path dir;

    Outbox(Path dir) {
        this.dir = dir;
    }

    /** Writes a finished batch's files; {@code results} writes one JSON line per item. Returns the name used. */
    synchronized String writeBatch(String name, String batchId, JsonNode summary, Consumer<Consumer<JsonNode>> results) {
        String base = freeName(name, batchId);
        write(base + RESULTS, out -> results.accept(result -> {
            try {
                out.write(result.toString());
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        write(base + SUMMARY, out -> out.write(summary.toPrettyString() + "\n"));
        return base;
    }

    /** Writes why a file was rejected; {@code suffixId} tells it apart from an earlier file of the same name. */
    synchronized String writeError(String name, String suffixId, JsonNode error) {
        String base = freeName(name, suffixId);
        write(base + ERROR, out -> out.write(error.toPrettyString() + "\n"));
        return base;
    }

    private String freeName(String name, String id) {
        for (String suffix : SUFFIXES) {
            if (Files.exists(dir.resolve(name + suffix))) {
                return name + "-" + id;
            }
        }
        return name;
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(Writer out) throws IOException;
    }

    private void write(String fileName, Content content) {
        try {
            Files.createDirectories(dir);
            Path temp = dir.resolve("." + fileName + ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                content.writeTo(out);
            }
            Files.move(temp, dir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(fileName) + ": " + e.getMessage(), e);
        }
    }
}
