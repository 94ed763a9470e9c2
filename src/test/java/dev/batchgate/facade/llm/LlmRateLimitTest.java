package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-model rate limits against a stub that enforces the same RPM per model (answering 429 beyond it):
 * batchgate must never be the cause of a 429, and each model's calls are spread evenly.
 */
class LlmRateLimitTest {

    private static final Map<String, Integer> RPM = Map.of("m-1", 12, "m-2", 20, "m-3", 60);
    /** Timer and network jitter between the limiter's grant and the stub's clock. */
    private static final long JITTER_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    static FakeLlm llm;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        llm = new FakeLlm();
        RPM.forEach(llm::rpm);
        app = new BatchgateTestApp()
                .with("batchgate.llm.url", llm.url())
                .with("batchgate.llm.models", "m-1:12,m-2:20,m-3:60")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        llm.close();
    }

    @Test
    void should_keep_every_model_within_its_rpm_and_use_them_all_when_prompts_outnumber_the_top_models_budget() {
        // the very first request of a JVM is slow to leave it (class loading); it would skew the arrival gaps
        app.post("/v1/llm/batches", Map.of("operation", "WARM_UP", "mode", "sync", "items", List.of(Map.of("id", 0, "prompt", "warm-up"))));
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            items.add(Map.of("id", i, "prompt", "chapter " + i));
        }

        String id = app.post("/v1/llm/batches", Map.of("operation", "GENERATE_SCRIPT", "items", items)).json().path("id").asText();
        JsonNode summary = app.awaitFinished(id);

        assertThat(summary.path("succeeded").asInt()).isEqualTo(15);
        assertThat(llm.calls()).hasSize(16).allSatisfy(call -> assertThat(call.status()).isEqualTo(200));
        RPM.forEach((model, rpm) -> {
            List<Long> arrivals = llm.calls(model).stream().map(FakeLlm.Call::atNanos).sorted().toList();
            List<Long> batchArrivals = llm.calls(model).stream().filter(c -> !c.prompt().equals("warm-up"))
                    .map(FakeLlm.Call::atNanos).sorted().toList();
            assertThat(batchArrivals).as("calls on %s", model).isNotEmpty();
            long spacing = TimeUnit.SECONDS.toNanos(60) / rpm;
            for (int i = 1; i < batchArrivals.size(); i++) {
                assertThat(batchArrivals.get(i) - batchArrivals.get(i - 1)).as("gap before call %d on %s", i, model)
                        .isGreaterThanOrEqualTo(spacing - JITTER_NANOS);
            }
            for (long windowStart : arrivals) {
                long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(60);
                assertThat(arrivals.stream().filter(t -> t >= windowStart && t < windowEnd).count()).isLessThanOrEqualTo(rpm);
            }
        });
        // the top model took a call whenever it had a permit (every 5 s), so more than the warm-up
        assertThat(llm.calls("m-1")).hasSizeGreaterThanOrEqualTo(2);
        JsonNode usage = app.get("/v1/llm/usage?since=1h&groupBy=model&batchId=" + id).json();
        assertThat(usage.at("/totals/requests").asInt()).isEqualTo(15);
        assertThat(usage.at("/totals/rateLimited").asInt()).isZero();
        for (JsonNode group : usage.path("groups")) {
            assertThat(group.path("requests").asInt()).isEqualTo(llm.calls(group.path("model").asText()).stream()
                    .filter(c -> !c.prompt().equals("warm-up")).count());
        }
    }
}
