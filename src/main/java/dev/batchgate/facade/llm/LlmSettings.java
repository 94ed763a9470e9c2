package dev.batchgate.facade.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code batchgate.llm.*} settings. {@code toString} masks the API key, so the settings can be
 * logged or shown in an error without leaking it.
 *
 * @param url            base url of an OpenAI-compatible API; calls go to {@code url + /chat/completions}
 * @param apiKey         sent as {@code Authorization: Bearer}; empty for servers without keys
 * @param models         the pool in priority order
 * @param prices         per model; a model without a price costs 0
 * @param maxConcurrency the cap on a batch's items in flight
 * @param cooldown       how long a model stays exhausted after a 429 without Retry-After
 * @param timeout        per call
 * @param retries        extra calls after a server error or timeout (429s never use them up)
 * @param retryDelay     first backoff before such a retry; doubles, with jitter
 * @param windowGuard    margin on each model's 60 s window: a call reaches a remote API with more
 *                       jitter than a local target, and a provider counts arrivals, not our starts
 */
public record LlmSettings(
        String url,
        String apiKey,
        List<ModelSpec> models,
        Map<String, ModelPrice> prices,
        int maxConcurrency,
        Duration cooldown,
        Duration timeout,
        int retries,
        Duration retryDelay,
        Duration windowGuard) {

    public LlmSettings {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("batchgate.llm.max-concurrency must be positive, got " + maxConcurrency);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("batchgate.llm.retries must not be negative, got " + retries);
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        apiKey = apiKey == null ? "" : apiKey.trim();
        models = List.copyOf(models);
        prices = Map.copyOf(prices);
    }

    public String completionsUrl() {
        return url + "/chat/completions";
    }

    public ModelPrice price(String model) {
        return prices.getOrDefault(model, ModelPrice.FREE);
    }

    public int summedRpm() {
        return models.stream().mapToInt(ModelSpec::rpm).sum();
    }

    /** Removes the API key from a text that might echo it (a provider's error message). */
    public String scrub(String text) {
        if (text == null || apiKey.isEmpty()) {
            return text;
        }
        return text.replace(apiKey, "***");
    }

    @Override
    public String toString() {
        return "LlmSettings[url=" + url + ", apiKey=" + (apiKey.isEmpty() ? "(none)" : "***") + ", models=" + models
                + ", prices=" + prices.keySet() + ", maxConcurrency=" + maxConcurrency + ", cooldown=" + cooldown
                + ", timeout=" + timeout + ", retries=" + retries + ", retryDelay=" + retryDelay + ", windowGuard=" + windowGuard + "]";
    }
}
