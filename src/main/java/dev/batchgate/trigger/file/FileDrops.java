package dev.batchgate.trigger.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchIds;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.RequestFields;
import dev.batchgate.concurrent.DaemonThreads;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import dev.batchgate.service.LiveBatch;
import dev.batchgate.store.FileDropStore;
import dev.batchgate.target.Target;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-drop trigger, called by {@code routes/trigger-file-drop.camel.yaml} once Camel
 * has moved a dropped file to {@code inbox/.processing/}. A file becomes one batch: its items are
 * read as a stream and stored a chunk at a time while the batch waits (pending, marked filling), so
 * a file of any length runs in a small heap and a crash mid-file goes on where the store says it
 * stopped. When the batch ends its summary and results go to the outbox.
 */
public final class FileDrops {

    /** The exchange property the route's {@code move} reads: where the file goes once read. */
    public static final String MOVE_TO = "batchgateMoveTo";
    static final String PROCESSING = ".processing";
    static final String DONE = ".done";
    static final String FAILED = ".failed";
    private static final Logger LOG = LoggerFactory.getLogger(FileDrops.class);
    private static final int MAX_ERRORS = 20;

    private final BatchService batches;
    private final FileDropStore drops;
    private final Path inbox;
    private final Outbox outbox;
    private final BatchRequestParser requests;
    private final int chunkItems;
    private final long maxRequestBytes;
    private final ExecutorService outboxWriter = Executors.newSingleThreadExecutor(DaemonThreads.named("file-drop-outbox"));
    private final ExecutorService recovery = Executors.newSingleThreadExecutor(DaemonThreads.named("file-drop-recovery"));

    /** {@code requests}: reads a dropped batch request, with no max-items bound (see {@link #request}). */
    public FileDrops(BatchService batches, FileDropStore drops, BatchRequestParser requests, Path inbox, Path outbox, int chunkItems,
            long maxRequestBytes) {
        this.batches = batches;
        this.drops = drops;
        this.inbox = inbox;
        this.outbox = new Outbox(outbox);
        this.requests = requests;
        this.chunkItems = chunkItems;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** The route's step: reads the file Camel moved to {@code .processing/} into a new batch and starts it. */
    public void ingest(Exchange exchange) {
        String workPath = slashes(exchange.getMessage().getHeader(FileConstants.FILE_RELATIVE_PATH, String.class));
        pruneEmptyFolders(inbox.resolve(PROCESSING), inbox.resolve(workPath).getParent());
        exchange.setProperty(MOVE_TO, read(sourceName(workPath), workPath, null));
    }

    /**
     * Before the engine resumes batches after a restart: batches a crash left empty before their file
     * was registered are removed (their file is read again from the start).
     */
    public void removeOrphans() {
        int removed = drops.deleteOrphans();
        if (removed > 0) {
            LOG.info("removed {} empty file batches a crash left before their file was read; the files are read again", removed);
        }
    }

    /**
     * After the engine resumed its batches, in the background: files a crash left in
     * {@code .processing/} are read on from where their batch stopped (or moved on when they were
     * read to the end), and finished file batches whose outbox is missing get it.
     */
    public void recover() {
        recovery.execute(() -> {
            for (FileDropStore.Drop drop : drops.withState(FileDropStore.State.QUEUED)) {
                batches.find(drop.batchId()).filter(b -> b.status().isFinished())
                        .ifPresent(r -> outboxWriter.execute(() -> writeOutbox(drop.batchId())));
            }
            for (String workPath : leftoverFiles()) {
                try {
                    recover(workPath);
                } catch (RuntimeException e) {
                    LOG.warn("{} could not be read on ({}); it stays in {} for the next start", workPath, e.getMessage(),
                            PROCESSING);
                }
            }
            for (FileDropStore.Drop drop : drops.withState(FileDropStore.State.READING)) {
                if (!Files.exists(inbox.resolve(drop.workPath()))) {
                    reject(drop.sourceName(), drop.batchId(), List.of(problem(null, null, null,
                            "the file was removed from " + PROCESSING + " before it was read to the end")));
                }
            }
            pruneEmptyFolders(inbox.resolve(PROCESSING), null);
        });
    }

    private void recover(String workPath) {
        FileDropStore.Drop drop = drops.findByWorkPath(workPath);
        String sourceName = sourceName(workPath);
        if (drop != null && drop.state() == FileDropStore.State.READING && !batches.claimPending(drop.batchId())) {
            LOG.warn("file {}: batch {} is held by another live node; the file stays in {}", sourceName, drop.batchId(), PROCESSING);
        } else if (drop == null || drop.state() == FileDropStore.State.READING) {
            LOG.info("file {}: reading on after a restart ({})", sourceName,
                    drop == null ? "from the start" : "into batch " + drop.batchId());
            move(workPath, read(sourceName, workPath, drop));
        } else {
            move(workPath, finalPath(DONE, sourceName, drop.batchId()));
        }
    }

    /** Called for every batch the engine launches: a file batch writes its outbox when it ends. */
    public void watch(LiveBatch run) {
        if (run.spec().trigger() != null && run.spec().trigger().startsWith("file:")) {
            run.done().thenRunAsync(() -> writeOutbox(run.id()), outboxWriter);
        }
    }

    /** Reads a file into its batch (a new one, or {@code resumed}) and starts it; returns where the file goes now. */
    private String read(String sourceName, String workPath, FileDropStore.Drop resumed) {
        Path file = inbox.resolve(workPath);
        String batchId = resumed == null ? null : resumed.batchId();
        try {
            Source source = open(sourceName, file, batchId);
            if (batchId == null) {
                batchId = batches.createPending(source.spec());
                drops.beginReading(batchId, sourceName, workPath);
            }
            int stored = batches.find(batchId).map(BatchService.BatchView::total).orElse(0);
            List<ObjectNode> problems = fill(batchId, source, stored);
            if (problems.isEmpty() && stored == 0 && batches.find(batchId).map(BatchService.BatchView::total).orElse(0) == 0) {
                problems.add(problem(null, null, null, "the file has no items"));
            }
            if (!problems.isEmpty()) {
                return reject(sourceName, batchId, problems);
            }
            drops.finishReading(batchId);
            LiveBatch run = batches.start(batchId);
            LOG.info("file {}: batch {} with {} items (target={} operation={})", sourceName, batchId, run.total(),
                    run.spec().target(), run.spec().operationLabel());
            return finalPath(DONE, sourceName, batchId);
        } catch (BadRequestException e) {
            List<ObjectNode> problems = new ArrayList<>();
            for (BadRequestException.FieldError d : e.details()) {
                problems.add(problem(null, d.field(), d.index(), d.message()));
            }
            if (problems.isEmpty()) {
                problems.add(problem(null, null, null, e.getMessage()));
            }
            return reject(sourceName, batchId, problems);
        }
    }

    /** Where a file's items come from, and the batch they make; {@code file} is closed once read. */
    private record Source(BatchSpec spec, Target target, Iterator<ItemFileReader.Line> lines, Closeable file) {
    }

    private Source open(String sourceName, Path file, String existingBatchId) {
        String[] parts = sourceName.split("/");
        String fileName = parts[parts.length - 1];
        if (parts.length == 1 && fileName.toLowerCase(Locale.ROOT).endsWith(".json")) {
            return request(sourceName, file);
        }
        ItemFileReader.Format format = ItemFileReader.Format.of(fileName).orElse(null);
        if (parts.length != 3 || format == null) {
            throw BadRequestException.invalid("a file in the inbox is a batch request (inbox/<name>.json) or an item list "
                    + "(inbox/<target>/<operation>/<name>.jsonl, .csv or .txt); '" + sourceName + "' is neither");
        }
        Target target = RequestFields.target(batches::target, parts[0], "target", "the folder inbox/" + parts[0] + "/");
        RequestFields.operation(target, parts[1], "operation", "the folder inbox/" + parts[0] + "/" + parts[1] + "/");
        BatchSpec spec = existingBatchId != null ? storedSpec(existingBatchId)
                : BatchSpec.builder(target.name(), parts[1]).trigger("file:" + sourceName).build();
        try {
            ItemFileReader reader = ItemFileReader.open(file, format);
            return new Source(spec, target, reader, reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full batch request: read whole (it is bound by batchgate.max-body, not by max-items). */
    private Source request(String sourceName, Path file) {
        JsonNode body;
        try {
            if (Files.size(file) > maxRequestBytes) {
                throw BadRequestException.tooLarge("the request is larger than batchgate.max-body (" + maxRequestBytes
                        + " bytes); drop its items as an item list (inbox/<target>/<operation>/<name>.jsonl) instead");
            }
            try (InputStream in = Files.newInputStream(file)) {
                body = Json.readStrict(in);
            }
        } catch (JsonProcessingException e) {
            throw BadRequestException.invalid("not valid JSON at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        } catch (CharacterCodingException e) {
            throw BadRequestException.invalid("not valid UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body != null && body.path("dryRun").asBoolean(false)) {
            throw BadRequestException.invalid("dryRun is for the HTTP API; a dropped file always runs",
                    List.of(new BadRequestException.FieldError("dryRun", null, "not available for dropped files")));
        }
        BatchRequestParser.Parsed parsed = requests.parse(body, "file:" + sourceName);
        Target target = batches.target(parsed.spec().target()).orElseThrow();
        Iterator<BatchItem> items = parsed.items().iterator();
        Iterator<ItemFileReader.Line> lines = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public ItemFileReader.Line next() {
                BatchItem item = items.next();
                return new ItemFileReader.Line(0, item.index(), item, List.of());
            }
        };
        return new Source(parsed.spec(), target, lines, () -> {
        });
    }

    private BatchSpec storedSpec(String batchId) {
        return batches.find(batchId).orElseThrow().spec();
    }

    /**
     * Stores the items after the first {@code stored} a chunk at a time. On the first bad line nothing
     * more is stored, but reading goes on to report up to 20 problems at once.
     */
    private List<ObjectNode> fill(String batchId, Source source, int stored) {
        List<ObjectNode> problems = new ArrayList<>();
        List<ItemFileReader.Line> chunk = new ArrayList<>(chunkItems);
        try (Closeable closing = source.file()) {
            Iterator<ItemFileReader.Line> lines = source.lines();
            while (lines.hasNext() && problems.size() < MAX_ERRORS) {
                ItemFileReader.Line line = lines.next();
                if (line.index() < stored) {
                    continue;
                }
                if (!line.errors().isEmpty()) {
                    line.errors().forEach(e -> problems.add(problem(e.line(), e.field(), line.index(), e.message())));
                } else if (problems.isEmpty()) {
                    chunk.add(line);
                    if (chunk.size() == chunkItems) {
                        problems.addAll(store(batchId, source, chunk));
                        chunk.clear();
                    }
                }
            }
            if (problems.isEmpty() && !chunk.isEmpty()) {
                problems.addAll(store(batchId, source, chunk));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return problems.size() > MAX_ERRORS ? new ArrayList<>(problems.subList(0, MAX_ERRORS)) : problems;
    }

    /** Checks a chunk (duplicate ids, params the operation needs) and appends it to the batch. */
    private List<ObjectNode> store(String batchId, Source source, List<ItemFileReader.Line> chunk) {
        List<ObjectNode> problems = new ArrayList<>();
        Map<String, ItemFileReader.Line> byKey = new LinkedHashMap<>();
        Map<Integer, Integer> lineOfIndex = new HashMap<>();
        List<BatchItem> items = new ArrayList<>(chunk.size());
        RequestFields.SeenIds seen = new RequestFields.SeenIds();
        List<BadRequestException.FieldError> duplicates = new ArrayList<>();
        for (ItemFileReader.Line line : chunk) {
            seen.add(line.item(), "id", "id", first -> lineOfIndex.get(first) > 0 ? "on line " + lineOfIndex.get(first) : null,
                    duplicates);
            byKey.putIfAbsent(line.item().key(), line);
            lineOfIndex.put(line.index(), line.number());
            items.add(line.item());
        }
        duplicates.forEach(e -> problems.add(problem(lineOfIndex.get(e.index()), e.field(), e.index(), e.message())));
        List<BadRequestException.FieldError> templateErrors = new ArrayList<>();
        BatchRequestParser.checkTemplates(source.target(), source.spec(), items, templateErrors);
        for (BadRequestException.FieldError e : templateErrors) {
            Integer number = e.index() == null ? null : lineOfIndex.get(e.index());
            String field = e.field().startsWith("items[") ? e.field().substring(e.field().indexOf(']') + 2) : e.field();
            problems.add(problem(number == null || number == 0 ? null : number, field, e.index(), e.message()));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        if (!batches.appendItems(batchId, items)) {
            drops.storedKeys(batchId, byKey.keySet()).forEach((key, index) -> {
                ItemFileReader.Line line = byKey.get(key);
                problems.add(problem(line.number() > 0 ? line.number() : null, "id", line.index(),
                        RequestFields.duplicate("id", key, "item " + (index + 1) + " of the file")));
            });
        }
        return problems;
    }

    /** Writes why the file was rejected and removes its batch; returns where the file goes. */
    private String reject(String sourceName, String batchId, List<ObjectNode> problems) {
        if (batchId != null) {
            drops.deleteRejected(batchId);
        }
        String id = batchId != null ? batchId : BatchIds.next();
        ObjectNode error = Json.object();
        ObjectNode first = problems.get(0);
        error.put("error", (first.has("line") ? "line " + first.get("line").asInt() + ": " : "")
                + (first.has("field") ? first.get("field").asText() + ": " : "") + first.path("message").asText()
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        error.put("file", sourceName);
        ArrayNode details = error.putArray("details");
        problems.forEach(details::add);
        String name = outboxName(sourceName);
        String written = outbox.writeError(name, id, error);
        LOG.warn("file {} rejected ({}): {}; see outbox/{}{}", sourceName, FAILED, error.get("error").asText(), written,
                Outbox.ERROR);
        return finalPath(FAILED, sourceName, id);
    }

    private static ObjectNode problem(Integer line, String field, Integer index, String message) {
        ObjectNode problem = Json.object();
        if (line != null) {
            problem.put("line", line);
        }
        if (field != null) {
            problem.put("field", field);
        }
        if (index != null) {
            problem.put("index", index);
        }
        problem.put("message", message);
        return problem;
    }

    /** Writes a finished file batch's summary and results to the outbox, once. */
    void writeOutbox(String batchId) {
        try {
            FileDropStore.Drop drop = drops.find(batchId);
            ObjectNode summary = batches.finishedSummary(batchId).orElse(null);
            if (drop == null || drop.state() != FileDropStore.State.QUEUED || summary == null) {
                return;
            }
            summary.put("file", drop.sourceName());
            String written = outbox.writeBatch(outboxName(drop.sourceName()), batchId, summary,
                    line -> batches.forEachResult(batchId, line));
            drops.markWritten(batchId);
            LOG.info("batch {} of file {}: results in outbox/{}{} and outbox/{}{}", batchId, drop.sourceName(), written,
                    Outbox.SUMMARY, written, Outbox.RESULTS);
        } catch (RuntimeException e) {
            LOG.warn("batch {}: the outbox could not be written ({}); it is tried again on the next start", batchId,
                    e.getMessage());
        }
    }

    /** {@code .done/svc/start/ids.csv}, or {@code .done/svc/start/ids-<batchId>.csv} when that is taken. */
    private String finalPath(String folder, String sourceName, String id) {
        String path = folder + "/" + sourceName;
        if (!Files.exists(inbox.resolve(path))) {
            return path;
        }
        int slash = sourceName.lastIndexOf('/');
        int dot = sourceName.lastIndexOf('.');
        return dot > slash ? folder + "/" + sourceName.substring(0, dot) + "-" + id + sourceName.substring(dot)
                : path + "-" + id;
    }

    private void move(String workPath, String target) {
        try {
            Path to = inbox.resolve(target);
            Files.createDirectories(to.getParent());
            Files.move(inbox.resolve(workPath), to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files under {@code .processing/<pickup>/}, oldest pickup first. */
    private List<String> leftoverFiles() {
        Path processing = inbox.resolve(PROCESSING);
        if (!Files.isDirectory(processing)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(processing, 4)) {
            return files.filter(Files::isRegularFile).map(p -> slashes(inbox.relativize(p).toString()))
                    .filter(p -> p.split("/").length >= 3).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Camel's move leaves the pickup's folders behind; empty ones go, except those on {@code keep}'s path. */
    private static void pruneEmptyFolders(Path root, Path keep) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .filter(p -> !p.equals(root) && Files.isDirectory(p) && (keep == null || !keep.startsWith(p)))
                    .forEach(p -> {
                        try {
                            Files.deleteIfExists(p);
                        } catch (IOException e) {
                            // not empty (or just filled): it stays
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot tidy {}: {}", root, e.toString());
        }
    }

    /** {@code .processing/<pickup>/svc/start/ids.csv} → {@code svc/start/ids.csv}. */
    static String sourceName(String workPath) {
        String[] parts = workPath.split("/", 3);
        return parts.length == 3 ? parts[2] : workPath;
    }

    /** {@code svc/start/ids.csv} → {@code ids}. */
    static String outboxName(String sourceName) {
        String fileName = sourceName.substring(sourceName.lastIndexOf('/') + 1);
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static String slashes(String path) {
        return path.replace('\\', '/');
    }
}
