package dev.batchgate.target;

import dev.batchgate.ratelimit.RateLimiter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Every configured target by name, each with its one rate limiter shared by all batches. */
public final class TargetRegistry {

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rate-limiter");
        t.setDaemon(true);
        return t;
    });

    public TargetRegistry(Map<String, TargetConfig> configs) {
        configs.values().forEach(this::register);
    }

    /** Registers a target (the facades add their built-in ones). */
    public synchronized Target register(TargetConfig config) {
        Target target = new Target(config, new RateLimiter(config.name(), config.rpm(), config.concurrency(), timer));
        targets.put(config.name(), target);
        return target;
    }

    /** A limiter that is not a target of its own, such as one LLM model of a pool. */
    public RateLimiter newLimiter(String name, Integer rpm, int concurrency) {
        return new RateLimiter(name, rpm, concurrency, timer);
    }

    public synchronized Optional<Target> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    public synchronized Collection<Target> all() {
        return java.util.List.copyOf(targets.values());
    }
}
