package dev.batchgate.observe;

import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchRun;
import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.CallObserver;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.target.CallOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * batchgate's own metrics, next to Camel's in the registry scraped at
 * {@code /observe/metrics}: items by target, operation and outcome; downstream request latency; time
 * spent waiting for the rate limiter; 429s seen; batches running and finished.
 */
public final class BatchMetrics implements CallObserver {

    private final MeterRegistry registry;
    /** What every meter of this node carries: in a cluster its {@code node}, else nothing. */
    private final Tags common;
    /** Meters looked up once per target, not per call: building and registering one costs more than recording. */
    private final Map<String, Timer> permitWaits = new ConcurrentHashMap<>();
    private final Map<String, Map<CallOutcome.Kind, Timer>> requests = new ConcurrentHashMap<>();

    public BatchMetrics(MeterRegistry registry, BatchEngine engine, Tags common) {
        this.registry = registry;
        this.common = common;
        Gauge.builder("batchgate.batches.running", engine,
                e -> e.liveRuns().stream().filter(r -> r.status() == BatchStatus.RUNNING).count())
                .description("Batches running now").tags(common).register(registry);
    }

    /** Called for every batch the engine launches: counts its items as they finish, and the batch when it ends. */
    public void watch(BatchRun run) {
        String target = run.spec().target();
        String operation = run.spec().operationLabel();
        ItemStatus[] statuses = ItemStatus.values();
        // items a resumed batch finished before the restart were counted by the previous process
        AtomicIntegerArray counted = new AtomicIntegerArray(statuses.length);
        for (ItemStatus status : statuses) {
            counted.set(status.ordinal(), status.isFinal() ? run.count(status) : 0);
        }
        Map<ItemStatus, Counter> items = new ConcurrentHashMap<>();
        run.addListener(event -> {
            if (event.item() != null) {
                ItemStatus status = event.item().status();
                counted.incrementAndGet(status.ordinal());
                items.computeIfAbsent(status, st -> items(target, operation, st)).increment();
                return;
            }
            // items that ended without running (cancelled when the batch stopped) have no event of their own
            for (ItemStatus status : statuses) {
                int unseen = run.count(status) - counted.get(status.ordinal());
                if (status.isFinal() && unseen > 0) {
                    counted.addAndGet(status.ordinal(), unseen);
                    items.computeIfAbsent(status, st -> items(target, operation, st)).increment(unseen);
                }
            }
            Counter.builder("batchgate.batches.finished").description("Batches finished, by final status")
                    .tags("target", target, "operation", operation, "status", run.status().wire())
                    .tags(common).register(registry).increment();
        });
    }

    private Counter items(String target, String operation, ItemStatus status) {
        return Counter.builder("batchgate.items").description("Items finished, by target, operation and outcome")
                .tags("target", target, "operation", operation, "outcome", status.wire())
                .tags(common).register(registry);
    }

    @Override
    public void permitGranted(String target, long waitedNanos) {
        permitWaits.computeIfAbsent(target, t -> Timer.builder("batchgate.ratelimit.wait")
                .description("Time an attempt waited for the target's rate limit").tags("target", t).tags(common).register(registry))
                .record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void called(String target, CallOutcome outcome, long nanos) {
        requests.computeIfAbsent(target, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome.kind(), kind -> Timer.builder("batchgate.downstream.requests")
                        .description("Downstream calls (checks and await polls too) and their latency")
                        .tags("target", target, "outcome", kind.name().toLowerCase(Locale.ROOT)).tags(common).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (outcome.kind() == CallOutcome.Kind.RATE_LIMITED) {
            Counter.builder("batchgate.downstream.rate.limited").description("429 answers seen from the target")
                    .tags("target", target).tags(common).register(registry).increment();
        }
    }
}
