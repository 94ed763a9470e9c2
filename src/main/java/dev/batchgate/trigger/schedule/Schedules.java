package dev.batchgate.trigger.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.batch.RequestFields;
import dev.batchgate.json.Json;
import dev.batchgate.service.BatchService;
import dev.batchgate.service.LiveBatch;
import dev.batchgate.store.ScheduleFiring;
import dev.batchgate.store.ScheduleStore;
import dev.batchgate.target.Target;
import dev.batchgate.trigger.file.ItemFileReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedules: each firing (from {@code routes/trigger-schedules.camel.yaml}) starts a
 * batch with trigger {@code schedule:<name>}, unless the batch of the schedule's previous firing is
 * still running: then the firing is skipped and logged, never stacked. Of the nodes of a cluster, whose
 * timers all fire, the one that claims the firing in the store starts its batch; the others let it be.
 * In a cluster an {@code every} schedule fires at multiples of its interval since the epoch, so that
 * every node names each firing by the same time.
 */
public final class Schedules {

    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

    private final BatchService batches;
    private final Map<String, ScheduleConfig> configs;
    private final ScheduleStore store;
    private final boolean clustered;

    public Schedules(BatchService batches, ScheduleStore store, Map<String, ScheduleConfig> configs, boolean clustered) {
        this.batches = batches;
        this.configs = Map.copyOf(configs);
        this.store = store;
        this.clustered = clustered;
        configs.values().forEach(this::checkTarget);
    }

    public Collection<ScheduleConfig> all() {
        return configs.values().stream().sorted(Comparator.comparing(ScheduleConfig::name)).toList();
    }

    public Optional<ScheduleFiring> lastFiring(String name) {
        return store.last(name);
    }

    /** One firing of schedule {@code name}, due at {@code scheduledAt} (the timer's own time for it). */
    public void fire(String name, Date scheduledAt) {
        ScheduleConfig config = configs.get(name);
        long firedAt = firingTime(config, scheduledAt == null ? System.currentTimeMillis() : scheduledAt.getTime());
        if (!store.claim(name, firedAt)) {
            LOG.debug("schedule {}: the firing of {} was taken by another node", name, Instant.ofEpochMilli(firedAt));
            return;
        }
        synchronized (config) {
            ScheduleFiring last = store.last(name).orElse(ScheduleFiring.NEVER);
            if (last.batchId() != null && stillRunning(last.batchId())) {
                LOG.info("schedule {} skipped: batch {} of its previous firing is still running", name, last.batchId());
                store.save(name, new ScheduleFiring(firedAt, ScheduleFiring.Outcome.SKIPPED, last.batchId(), "batch " + last.batchId()
                        + " of the previous firing was still running", last.started(), last.skipped() + 1, last.failed()));
                return;
            }
            try {
                LiveBatch run = start(config);
                LOG.info("schedule {} fired: batch {} ({} items, target={} operation={})", name, run.id(), run.total(),
                        config.target(), config.operation());
                store.save(name,
                        new ScheduleFiring(firedAt, ScheduleFiring.Outcome.STARTED, run.id(), null, last.started() + 1, last.skipped(),
                                last.failed()));
            } catch (BadRequestException e) {
                LOG.warn("schedule {} could not start a batch: {}", name, e.getMessage());
                store.save(name,
                        new ScheduleFiring(firedAt, ScheduleFiring.Outcome.FAILED, last.batchId(), e.getMessage(), last.started(),
                                last.skipped(),
                                last.failed() + 1));
            }
        }
    }

    /** The firing's time as every node names it: in a cluster, an interval's firing at its multiple of the interval. */
    private long firingTime(ScheduleConfig config, long scheduledAt) {
        if (!clustered || config.every() == null) {
            return scheduledAt;
        }
        long interval = config.every().toMillis();
        return Math.round((double) scheduledAt / interval) * interval;
    }

    private boolean stillRunning(String batchId) {
        return batches.live(batchId).isPresent()
                || batches.find(batchId).map(b -> !b.status().isFinished()).orElse(false);
    }

    private LiveBatch start(ScheduleConfig config) {
        Target target = checkTarget(config);
        List<BatchItem> items = config.items() != null ? fromList(config.items()) : fromFile(config);
        BatchSpec spec = BatchSpec.builder(target.name(), config.operation()).trigger("schedule:" + config.name()).build();
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        BatchRequestParser.checkTemplates(target, spec, items, errors);
        if (!errors.isEmpty()) {
            throw BadRequestException.of(errors);
        }
        return batches.submit(spec, items);
    }

    private Target checkTarget(ScheduleConfig config) {
        String at = ScheduleConfigParser.PREFIX + config.name();
        Target target;
        try {
            target = RequestFields.target(batches::target, config.target(), null, null);
        } catch (BadRequestException e) {
            throw new IllegalArgumentException(at + ".target: " + e.getMessage());
        }
        try {
            RequestFields.configuredOperation(target, config.operation(), null);
        } catch (BadRequestException e) {
            throw new IllegalArgumentException(at + ".operation: " + e.getMessage());
        }
        return target;
    }

    private List<BatchItem> fromList(List<String> ids) {
        List<BatchItem> items = new ArrayList<>(ids.size());
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        for (String id : ids) {
            BatchItem item = RequestFields.id(items.size(), Json.MAPPER.getNodeFactory().textNode(id), "items", "id", errors);
            if (!errors.isEmpty()) {
                throw BadRequestException.invalid("items: " + errors.get(0).message());
            }
            items.add(item);
        }
        return unique(items, "items");
    }

    /** The items file is read again at every firing, so editing it changes the next batch. */
    private List<BatchItem> fromFile(ScheduleConfig config) {
        String file = config.itemsFile().toString();
        ItemFileReader.Format format = ItemFileReader.Format.of(file).orElse(ItemFileReader.Format.TXT);
        List<BatchItem> items = new ArrayList<>();
        try (ItemFileReader reader = ItemFileReader.open(config.itemsFile(), format)) {
            while (reader.hasNext()) {
                ItemFileReader.Line line = reader.next();
                if (!line.errors().isEmpty()) {
                    ItemFileReader.LineError error = line.errors().get(0);
                    throw BadRequestException.invalid("items-file " + file + " line " + error.line()
                            + (error.field() == null ? "" : ", " + error.field()) + ": " + error.message());
                }
                RequestFields.itemCount(items.size() + 1, batches.maxItems(), () -> "items-file " + file
                        + " has more than batchgate.max-items (" + batches.maxItems() + ") items");
                items.add(line.item());
            }
        } catch (IOException e) {
            throw BadRequestException.invalid("items-file " + file + " cannot be read: " + e.getMessage());
        }
        if (items.isEmpty()) {
            throw BadRequestException.invalid("items-file " + file + " has no items");
        }
        return unique(items, "items-file " + file);
    }

    private static List<BatchItem> unique(List<BatchItem> items, String source) {
        RequestFields.SeenIds seen = new RequestFields.SeenIds();
        List<BadRequestException.FieldError> duplicates = new ArrayList<>(1);
        for (BatchItem item : items) {
            if (!seen.add(item, source, "id", null, duplicates)) {
                throw BadRequestException.invalid(source + ": " + duplicates.get(0).message());
            }
        }
        return items;
    }

    /** A schedule as {@code GET /v1/schedules} lists it; {@code nextFiringAt} comes from the scheduler. */
    public ObjectNode describe(ScheduleConfig config, Instant nextFiringAt) {
        ObjectNode node = Json.object();
        node.put("name", config.name());
        if (config.cron() != null) {
            node.put("cron", config.cron());
            node.put("timezone", config.timezone().getId());
        } else {
            node.put("every", config.every().toString());
            node.put("everyMs", config.every().toMillis());
        }
        node.put("target", config.target());
        node.put("operation", config.operation());
        if (config.items() != null) {
            node.set("items", Json.MAPPER.valueToTree(config.items()));
        } else {
            node.put("itemsFile", config.itemsFile().toString());
        }
        node.put("nextFiringAt", nextFiringAt == null ? null : nextFiringAt.toString());
        Optional<ScheduleFiring> last = lastFiring(config.name());
        if (last.isPresent()) {
            ScheduleFiring f = last.get();
            ObjectNode lastNode = node.putObject("lastFiring");
            lastNode.put("at", Instant.ofEpochMilli(f.firedAt()).toString());
            lastNode.put("outcome", f.outcome().name().toLowerCase(Locale.ROOT));
            lastNode.put("batchId", f.batchId());
            if (f.message() != null) {
                lastNode.put("message", f.message());
            }
            ObjectNode counts = node.putObject("firings");
            counts.put("started", f.started());
            counts.put("skipped", f.skipped());
            counts.put("failed", f.failed());
        } else {
            node.putNull("lastFiring");
        }
        return node;
    }
}
