package dev.batchgate.target;

import dev.batchgate.ratelimit.RateLimiter;

/** A target at run time: its configuration (limits can change live) and its shared rate limiter. */
public final class Target {

    private volatile TargetConfig config;
    private final RateLimiter limiter;

    public Target(TargetConfig config, RateLimiter limiter) {
        this.config = config;
        this.limiter = limiter;
    }

    public TargetConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public RateLimiter limiter() {
        return limiter;
    }

    /** Live retune: running batches follow at once. A null leaves that limit as it is; rpm 0 removes the limit. */
    public synchronized void retune(Integer rpm, Integer concurrency) {
        TargetConfig c = config;
        config = new TargetConfig(c.name(), c.url(), rpm == null ? c.rpm() : (rpm == 0 ? null : rpm),
                concurrency == null ? c.concurrency() : concurrency, c.timeout(), c.retries(), c.retryDelay(),
                c.headers(), c.operations());
        limiter.update(rpm, concurrency);
    }
}
