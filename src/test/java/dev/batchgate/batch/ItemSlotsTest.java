package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchgate.json.Json;
import dev.batchgate.target.Target;
import dev.batchgate.target.TargetConfig;
import dev.batchgate.target.TargetRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ItemSlotsTest {

    @Test
    void should_not_read_the_phase_ahead_of_its_bound_when_no_item_was_released() throws Exception {
        BatchRun run = run(1);
        AtomicInteger read = new AtomicInteger();
        Iterator<WorkItem> admitted = new ItemSlots().admit(exchange(run, counting(100, read)));
        for (int i = 0; i < 3; i++) {
            admitted.next();
        }
        assertThat(read).as("twice the limit taken, and the one the split still holds").hasValue(3);

        CompletableFuture<Boolean> more = CompletableFuture.supplyAsync(admitted::hasNext);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !more.isDone());
        assertThat(read).hasValue(3);

        run.stop(StopReason.CANCELLED);
        assertThat(more.get()).isFalse();
        assertThat(read).hasValue(3);
    }

    @Test
    void should_hand_out_every_item_when_each_is_released_after_it_is_taken() {
        BatchRun run = run(2);
        AtomicInteger read = new AtomicInteger();
        Iterator<WorkItem> admitted = new ItemSlots().admit(exchange(run, counting(10, read)));
        int taken = 0;
        while (admitted.hasNext()) {
            admitted.next();
            run.callSlot();
            run.itemReleased(new ItemResult(taken, Json.MAPPER.getNodeFactory().textNode("i-" + taken), ItemStatus.SUCCEEDED,
                    null, 1, 1, null, null, null), 0);
            taken++;
        }
        assertThat(taken).isEqualTo(10);
        assertThat(read).hasValue(10);
    }

    private static Iterator<WorkItem> counting(int n, AtomicInteger read) {
        Iterator<Integer> indexes = IntStream.range(0, n).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return indexes.hasNext();
            }

            @Override
            public WorkItem next() {
                int i = indexes.next();
                read.incrementAndGet();
                return WorkItem.pending(new BatchItem(i, Json.MAPPER.getNodeFactory().textNode("i-" + i), null), null);
            }
        };
    }

    private static Exchange exchange(BatchRun run, Iterator<WorkItem> items) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(BatchFlow.RUN_PROPERTY, run);
        exchange.getMessage().setBody(items);
        return exchange;
    }

    private static BatchRun run(int concurrency) {
        TargetConfig config = new TargetConfig("svc", "http://127.0.0.1:1", null, concurrency, Duration.ofSeconds(1), 0,
                Duration.ofMillis(1), Map.of(), Map.of());
        Target target = new TargetRegistry(Map.of("svc", config)).find("svc").orElseThrow();
        BatchSpec spec = BatchSpec.builder("svc", "start").trigger("test").build();
        return new BatchRun("b-test", spec, target, 100, Instant.now(), null, BatchRun.Resume.NEW, 10);
    }
}
