package dev.batchgate.facade.llm;

import dev.batchgate.batch.ItemRunner;
import dev.batchgate.concurrent.DaemonThreads;
import dev.batchgate.config.Settings;
import dev.batchgate.service.BatchService;
import dev.batchgate.store.UsageStore;
import dev.batchgate.target.TargetCaller;
import dev.batchgate.target.TargetConfig;
import dev.batchgate.target.TargetRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LLM batch generation with model rotation, plugged into the engine as the
 * built-in target {@code llm}: its batches run through the same flow as every batch (progress,
 * SSE, results, cancel, retry, resume), and their items are handed to {@link LlmItemRunner}, which
 * picks a model of the pool for each call.
 */
public final class LlmFacade {

    public static final String TARGET = "llm";
    private static final Logger LOG = LoggerFactory.getLogger(LlmFacade.class);
    private static final String PREFIX = "batchgate.llm.";

    private final LlmApi api;
    private final ScheduledExecutorService timer;

    private LlmFacade(LlmApi api, ScheduledExecutorService timer) {
        this.api = api;
        this.timer = timer;
    }

    /**
     * Registers the {@code llm} target in {@code targets} and its item runner; call before batches resume.
     * {@code usage}: where the calls' token counts are kept.
     */
    public static LlmFacade install(Settings properties, Vertx vertx, BatchService batches, TargetRegistry targets,
            UsageStore usage, ItemRunner items, TargetCaller caller) {
        LlmSettings settings = settings(properties);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("llm-pool"));
        ModelPool pool = new ModelPool(settings.models(),
                spec -> targets.newLimiter(TARGET + ":" + spec.name(), spec.rpm(), settings.maxConcurrency(),
                        settings.windowGuard()),
                timer);
        AutoConcurrency concurrency = new AutoConcurrency(settings.summedRpm(), settings.models().size(), settings.maxConcurrency());
        if (targets.find(TARGET).isPresent()) {
            LOG.warn("a configured target is named '{}'; the built-in LLM target replaces it", TARGET);
        }
        targets.register(new TargetConfig(TARGET, settings.url(), null, settings.maxConcurrency(), settings.timeout(),
                settings.retries(), settings.retryDelay(), Map.of(), Map.of()));
        items.registerProcedure(TARGET, new LlmItemRunner(settings, pool, caller, usage, concurrency));
        LOG.info("LLM pool {} at {} (API key {})", String.join(",", settings.models().stream().map(m -> m.name() + ":" + m.rpm()).toList()),
                settings.url(), settings.apiKey().isEmpty() ? "not set" : "set");
        LlmRequestParser parser = new LlmRequestParser(TARGET, batches.maxItems(), concurrency::concurrency);
        return new LlmFacade(new LlmApi(vertx, batches, parser, usage, pool, concurrency, settings), timer);
    }

    public void mount(Router router) {
        api.mount(router);
    }

    public void close() {
        timer.shutdownNow();
    }

    static LlmSettings settings(Settings properties) {
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        properties.withPrefix(PREFIX + "prices.").forEach((key, value) -> {
            String model = key.substring((PREFIX + "prices.").length());
            if (!value.isBlank()) {
                prices.put(model, ModelPrice.parse(model, value));
            }
        });
        return new LlmSettings(
                properties.text(PREFIX + "url"),
                properties.text(PREFIX + "api-key"),
                ModelSpec.parseList(properties.text(PREFIX + "models")),
                prices,
                properties.integer(PREFIX + "max-concurrency"),
                properties.duration(PREFIX + "cooldown"),
                properties.duration(PREFIX + "timeout"),
                properties.integer(PREFIX + "retries"),
                properties.duration(PREFIX + "retry-delay"),
                properties.duration(PREFIX + "window-guard"));
    }
}
