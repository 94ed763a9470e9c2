package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.target.Target;
import dev.batchgate.target.TargetConfig;
import dev.batchgate.target.TargetRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SummaryRulesTest {

    @Test
    void should_trip_the_breaker_only_when_enough_items_have_finished() {
        assertThat(SummaryRules.breakerTripped(0, 3, 50, 4)).isFalse();
        assertThat(SummaryRules.breakerTripped(1, 3, 50, 4)).isTrue();
    }

    @Test
    void should_not_trip_the_breaker_when_the_failed_share_equals_the_limit() {
        assertThat(SummaryRules.breakerTripped(2, 2, 50, 4)).isFalse();
    }

    @Test
    void should_count_every_item_status_when_items_finish() {
        BatchRun run = run(false, null);
        run.itemStarted(ItemStatus.PENDING);
        run.itemStarted(ItemStatus.PENDING);

        outcome(run, result(ItemStatus.SUCCEEDED), 0);
        outcome(run, result(ItemStatus.FAILED), 0);

        assertThat(run.count(ItemStatus.SUCCEEDED)).isEqualTo(1);
        assertThat(run.count(ItemStatus.FAILED)).isEqualTo(1);
        assertThat(run.count(ItemStatus.PENDING)).isEqualTo(8);
        assertThat(run.count(ItemStatus.RUNNING)).isZero();
        assertThat(run.isStopping()).isFalse();
    }

    @Test
    void should_tell_listeners_in_finish_order_when_items_are_folded_out_of_it() {
        BatchRun run = run(false, null);
        List<Integer> told = new ArrayList<>();
        run.addListener(event -> told.add(event.finishSeq()));
        IntStream.range(0, 4).forEach(i -> run.itemStarted(ItemStatus.PENDING));

        outcome(run, result(ItemStatus.SUCCEEDED), 2);
        outcome(run, result(ItemStatus.SUCCEEDED), 3);
        assertThat(told).isEmpty();
        assertThat(run.publishedFinishSeq()).isZero();
        outcome(run, result(ItemStatus.SUCCEEDED), 1);
        run.finishSeqUnused(4);
        outcome(run, result(ItemStatus.FAILED), 5);

        assertThat(told).containsExactly(1, 2, 3, 5);
        assertThat(run.publishedFinishSeq()).isEqualTo(5);
    }

    /** What item-run does with an outcome: fold it (with the stop rules), release the item. */
    private static void outcome(BatchRun run, ItemResult result, int finishSeq) {
        SummaryRules.record(run, result);
        run.itemReleased(result, finishSeq);
    }

    private static BatchRun run(boolean failFast, Double maxFailurePercent) {
        TargetConfig config = new TargetConfig("svc", "http://127.0.0.1:1", null, 10, Duration.ofSeconds(1), 0,
                Duration.ofMillis(1), Map.of(), Map.of());
        Target target = new TargetRegistry(Map.of("svc", config)).find("svc").orElseThrow();
        BatchSpec spec = BatchSpec.builder("svc", "start").failFast(failFast).maxFailurePercent(maxFailurePercent).trigger("test")
                .build();
        return new BatchRun("b-test", spec, target, 10, Instant.now(), null, BatchRun.Resume.NEW, 10);
    }

    private static ItemResult result(ItemStatus status) {
        return new ItemResult(0, dev.batchgate.json.Json.MAPPER.getNodeFactory().textNode("i-0"), status, null, 1, 1, null,
                null, null);
    }
}
