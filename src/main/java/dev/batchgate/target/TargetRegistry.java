package dev.batchgate.target;

import dev.batchgate.concurrent.DaemonThreads;
import dev.batchgate.ratelimit.CircuitBreaker;
import dev.batchgate.ratelimit.RateLimiter;
import dev.batchgate.ratelimit.SharedRate;
import dev.batchgate.ratelimit.SharedSlots;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every configured target by name, each with its one rate limiter shared by all batches. */
public final class TargetRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TargetRegistry.class);

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("rate-limiter"));

    private Function<String, CircuitBreaker.Settings> circuitBreakers = name -> CircuitBreaker.Settings.DEFAULT;
    private SharedRate sharedRate;
    private ExecutorService reservations;
    private SharedSlots sharedSlots;
    private ExecutorService rebalances;
    private volatile SharedTunings tunings;
    private final Map<String, SharedTunings.Tuning> applied = new HashMap<>();

    public TargetRegistry(Map<String, TargetConfig> configs) {
        configs.values().forEach(this::register);
    }

    /** Registers a target (the facades add their built-in ones). */
    public synchronized Target register(TargetConfig config) {
        Target target = new Target(config, new RateLimiter(config.name(), config.rpm(), config.concurrency(), timer));
        target.limiter().configureCircuitBreaker(circuitBreakers.apply(config.name()));
        if (sharedRate != null) {
            target.limiter().share(sharedRate, reservations);
        }
        if (sharedSlots != null) {
            target.limiter().shareSlots(sharedSlots, rebalances);
        }
        targets.put(config.name(), target);
        return target;
    }

    /** Cluster mode: every target's starts, registered so far and later, are shared with the other nodes through {@code rate}. */
    public synchronized void shareRates(SharedRate rate) {
        sharedRate = rate;
        reservations = Executors.newSingleThreadExecutor(DaemonThreads.named("rate-reservations"));
        targets.values().forEach(t -> t.limiter().share(rate, reservations));
    }

    /** Cluster mode: every target's concurrency, registered so far and later, holds for the whole cluster through {@code slots}. */
    public synchronized void shareSlots(SharedSlots slots) {
        sharedSlots = slots;
        rebalances = Executors.newSingleThreadExecutor(DaemonThreads.named("slot-rebalances"));
        targets.values().forEach(t -> t.limiter().shareSlots(slots, rebalances));
    }

    /** Cluster mode: every target takes its share of the cluster's slots for what it has to run, or gives back what it no longer needs. */
    public void rebalanceSlots() {
        all().forEach(t -> t.limiter().requestSlots());
    }

    /** Circuit-breaker settings by target name, for the targets registered so far and later. */
    public synchronized void useCircuitBreakers(Function<String, CircuitBreaker.Settings> settingsByTarget) {
        circuitBreakers = settingsByTarget;
        targets.values().forEach(t -> t.limiter().configureCircuitBreaker(settingsByTarget.apply(t.name())));
    }

    /** Cluster mode: the targets' retunes are shared with the other nodes through {@code tunings}. */
    public void shareTunings(SharedTunings tunings) {
        this.tunings = tunings;
    }

    /**
     * Live retune of {@code target} (a null leaves that limit; rpm 0 removes it): running batches follow at
     * once, and in a cluster every other node within a second ({@link #applySharedTunings}).
     */
    public void retune(Target target, Integer rpm, Integer concurrency) {
        SharedTunings shared = tunings;
        if (shared != null) {
            shared.save(target.name(), rpm, concurrency);
        }
        target.retune(rpm, concurrency);
    }

    /** Cluster mode: applies the retunes made on any node since this one last looked (once at start, then every second). */
    public void applySharedTunings() {
        SharedTunings shared = tunings;
        if (shared == null) {
            return;
        }
        shared.all().forEach((name, tuning) -> find(name).ifPresent(target -> {
            synchronized (this) {
                if (tuning.equals(applied.put(name, tuning))) {
                    return;
                }
            }
            target.retune(tuning.rpm(), tuning.concurrency());
            LOG.info("target {} retuned in the cluster: rpm={} concurrency={}", name, target.config().rpm(), target.config().concurrency());
        }));
    }

    /**
     * A limiter that is not a target of its own, such as one LLM model of a pool, with a wider margin on the
     * 60 s window for downstreams reached with more jitter (LLM APIs); in cluster mode its starts are shared
     * with the other nodes, as a target's are.
     */
    public synchronized RateLimiter newLimiter(String name, Integer rpm, int concurrency, java.time.Duration windowGuard) {
        RateLimiter limiter = new RateLimiter(name, rpm, concurrency, timer, windowGuard);
        if (sharedRate != null) {
            limiter.share(sharedRate, reservations);
        }
        return limiter;
    }

    public synchronized Optional<Target> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    public synchronized Collection<Target> all() {
        return java.util.List.copyOf(targets.values());
    }
}
