package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.target.Target;
import dev.batchgate.target.TargetConfig;
import dev.batchgate.target.TargetRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The live summary's counts add up to the batch's total at every moment, while items move between them. */
class BatchRunCountsTest {

    private static final int WORKERS = 4;
    private static final int ITEMS_EACH = 25_000;
    private static final List<String> COUNTERS = List.of("pending", "running", "succeeded", "failed", "skipped", "cancelled",
            "rolledBack", "rollbackFailed");

    @Test
    void should_add_up_to_the_total_in_every_summary_when_items_start_and_finish_meanwhile() throws Exception {
        int total = WORKERS * ITEMS_EACH;
        BatchRun run = run(total);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Integer> wrongSums = new ArrayList<>();
        try {
            List<Future<?>> workers = IntStream.range(0, WORKERS).<Future<?>>mapToObj(w -> pool.submit(() -> {
                for (int i = 0; i < ITEMS_EACH; i++) {
                    run.itemStarted(ItemStatus.PENDING);
                    run.itemFinished(new ItemResult(i, Json.MAPPER.getNodeFactory().textNode("i-" + i),
                            i % 10 == 0 ? ItemStatus.CANCELLED : ItemStatus.SUCCEEDED, null, 1, 1, null, null, null));
                }
            })).toList();
            while (workers.stream().anyMatch(f -> !f.isDone())) {
                int sum = sum(BatchSummaries.live(run, null));
                if (sum != total) {
                    wrongSums.add(sum);
                }
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(wrongSums).as("summaries whose counts did not add up to %d", total).isEmpty();
        assertThat(run.count(ItemStatus.SUCCEEDED) + run.count(ItemStatus.CANCELLED)).isEqualTo(total);
    }

    private static int sum(JsonNode summary) {
        return COUNTERS.stream().mapToInt(counter -> summary.path(counter).asInt()).sum();
    }

    private static BatchRun run(int total) {
        TargetConfig config = new TargetConfig("svc", "http://127.0.0.1:1", null, 10, Duration.ofSeconds(1), 0,
                Duration.ofMillis(1), Map.of(), Map.of());
        Target target = new TargetRegistry(Map.of("svc", config)).find("svc").orElseThrow();
        BatchSpec spec = BatchSpec.builder("svc", "start").trigger("test").build();
        return new BatchRun("b-counts", spec, target, total, Instant.now(), null, BatchRun.Resume.NEW, 10);
    }
}
