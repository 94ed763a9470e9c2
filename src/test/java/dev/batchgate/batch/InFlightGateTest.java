package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InFlightGateTest {

    @Test
    void should_hand_the_call_slot_of_an_item_that_leaves_to_the_item_that_waited_longest() {
        InFlightGate gate = new InFlightGate(() -> 2);

        List<CompletableFuture<Void>> slots = IntStream.range(0, 4).mapToObj(i -> take(gate)).toList();
        assertThat(slots).extracting(CompletableFuture::isDone).containsExactly(true, true, false, false);

        gate.leave();
        assertThat(slots).extracting(CompletableFuture::isDone).containsExactly(true, true, true, false);
        gate.leave();
        assertThat(slots.get(3)).isDone();
    }

    @Test
    void should_queue_a_new_item_behind_those_waiting_and_follow_a_raised_limit() {
        AtomicInteger limit = new AtomicInteger(1);
        InFlightGate gate = new InFlightGate(limit::get);
        CompletableFuture<Void> first = take(gate);
        CompletableFuture<Void> second = take(gate);
        CompletableFuture<Void> third = take(gate);

        limit.set(3);
        CompletableFuture<Void> fourth = take(gate);
        assertThat(fourth).as("not ahead of the items already waiting").isNotDone();

        gate.leave();
        assertThat(List.of(first, second, third, fourth)).allMatch(CompletableFuture::isDone);
    }

    @Test
    void should_let_items_waiting_for_a_slot_go_on_once_closed() {
        InFlightGate gate = new InFlightGate(() -> 1);
        take(gate);
        CompletableFuture<Void> waiting = take(gate);

        gate.close();

        assertThat(waiting).isDone();
        assertThat(take(gate)).isDone();
        assertThat(gate.awaitRoom()).isFalse();
    }

    @Test
    void should_hand_slots_on_without_nesting_when_each_item_is_done_at_once() {
        InFlightGate gate = new InFlightGate(() -> 1);
        take(gate);
        AtomicInteger ran = new AtomicInteger();
        List<CompletableFuture<Void>> chain = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            chain.add(take(gate).thenRun(() -> {
                ran.incrementAndGet();
                gate.leave();
            }));
        }

        gate.leave();

        assertThat(ran).hasValue(20_000);
        assertThat(chain).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    }

    @Test
    void should_let_the_split_take_up_to_twice_the_limit_then_wait_for_a_quarter_of_it() {
        InFlightGate gate = new InFlightGate(() -> 8);
        for (int i = 0; i < 16; i++) {
            assertThat(gate.awaitRoom()).isTrue();
            take(gate);
        }
        take(gate);
        CompletableFuture<Boolean> room = new CompletableFuture<>();
        Thread split = new Thread(() -> room.complete(gate.awaitRoom()));
        split.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> split.getState() == Thread.State.TIMED_WAITING);

        gate.leave();
        gate.leave();
        assertThat(room).as("15 taken: more than 16 - 8/4").isNotDone();

        gate.leave();
        assertThat(room.join()).isTrue();
    }

    /** What the split and the item-call step do with one item: take it, then ask for its call slot. */
    private static CompletableFuture<Void> take(InFlightGate gate) {
        gate.enter();
        return gate.callSlot();
    }
}
