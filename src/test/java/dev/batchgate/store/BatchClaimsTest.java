package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.ratelimit.SharedSlots;
import dev.batchgate.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' stores on one real PostgreSQL: a batch created by node A, node A then taken for dead and its
 * batch claimed by node B. What A writes afterwards changes nothing; what B writes stands. A lease is
 * held by one live node at a time, and a target's slots add up to its concurrency at most.
 */
class BatchClaimsTest {

    private static final int ITEMS = 4;

    private TestDatabase db;
    private JdbcJobStore a;
    private JdbcJobStore b;

    @BeforeEach
    void twoNodes() {
        assumeTrue(TestDatabase.postgres(), "claims need PostgreSQL: BATCHGATE_TEST_DB_URL is not set");
        db = TestDatabase.fresh();
        a = new JdbcJobStore(db.url(), db.user(), db.password());
        b = new JdbcJobStore(db.url(), db.user(), db.password());
        a.runAs("node-a");
        b.runAs("node-b");
        a.cluster().join("node-a", "http://a", 0);
        b.cluster().join("node-b", "http://b", 0);
        a.createBatch(new BatchRecord("b-1", "svc", "start", "{}", BatchStatus.PENDING, null, ITEMS, BatchRecord.Counts.ZERO, "api",
                null, 0L, null, null, null),
                IntStream.range(0, ITEMS).mapToObj(i -> new StoredItem(i, "\"i-" + i + "\"", null, ItemStatus.PENDING, null))
                        .iterator(),
                null);
    }

    @AfterEach
    void close() {
        if (db != null) {
            a.close();
            b.close();
            db.close();
        }
    }

    @Test
    void should_leave_a_batch_to_its_live_node_and_give_it_to_another_once_that_node_is_gone() {
        assertThat(b.claimUnfinished(Set.of())).as("node A is live").isEmpty();
        a.saveResults(List.of(new JobStore.ResultRow("b-1", 0, ItemStatus.SUCCEEDED, "{}")));
        assertThat(a.countItems("b-1", ItemStatus.SUCCEEDED)).isEqualTo(1);

        b.cluster().leave("node-a");
        List<JobStore.Claim> claimed = b.claimUnfinished(Set.of());

        assertThat(claimed).singleElement().satisfies(claim -> {
            assertThat(claim.batch().id()).isEqualTo("b-1");
            assertThat(claim.previousOwner()).isEqualTo("node-a");
        });
        assertThat(b.claimUnfinished(Set.of("b-1"))).as("claimed once").isEmpty();
    }

    @Test
    void should_drop_the_writes_of_a_node_whose_batch_was_taken_over() {
        b.cluster().leave("node-a");
        assertThat(b.claimUnfinished(Set.of())).hasSize(1);

        a.saveResults(List.of(new JobStore.ResultRow("b-1", 1, ItemStatus.FAILED, "{\"late\":true}")));
        a.markRemaining("b-1", List.of(ItemStatus.PENDING), ItemStatus.CANCELLED);
        a.finishBatch("b-1", BatchStatus.CANCELLED, "cancelled", BatchRecord.Counts.ZERO, 1L, null);
        b.saveResults(List.of(new JobStore.ResultRow("b-1", 2, ItemStatus.SUCCEEDED, "{}")));

        assertThat(b.countItems("b-1", ItemStatus.FAILED)).as("the late result").isZero();
        assertThat(b.countItems("b-1", ItemStatus.CANCELLED)).isZero();
        assertThat(b.countItems("b-1", ItemStatus.SUCCEEDED)).isEqualTo(1);
        assertThat(b.findBatch("b-1").orElseThrow().status()).isEqualTo(BatchStatus.PENDING);
    }

    @Test
    void should_claim_one_batch_only_once_its_live_owner_is_gone() {
        assertThat(a.claim("b-1")).as("its creator holds it").isTrue();
        assertThat(b.claim("b-1")).as("node A is live").isFalse();

        b.cluster().leave("node-a");

        assertThat(b.claim("b-1")).isTrue();
        a.saveResults(List.of(new JobStore.ResultRow("b-1", 0, ItemStatus.SUCCEEDED, "{}")));
        assertThat(b.countItems("b-1", ItemStatus.SUCCEEDED)).as("node A's claim is void").isZero();
    }

    @Test
    void should_keep_a_lease_on_one_live_node_and_pass_it_on_when_that_node_is_gone() {
        assertThat(a.cluster().holdLease("inbox", "node-a")).isTrue();
        assertThat(b.cluster().holdLease("inbox", "node-b")).isFalse();
        assertThat(a.cluster().holdLease("inbox", "node-a")).as("kept").isTrue();

        b.cluster().leave("node-a");

        assertThat(a.cluster().holdLease("inbox", "node-a")).as("a node whose row is gone holds nothing").isFalse();
        assertThat(b.cluster().holdLease("inbox", "node-b")).isTrue();
    }

    @Test
    void should_never_hand_out_more_slots_than_the_concurrency_across_nodes_and_pass_them_on_as_calls_end() {
        SharedSlots slotsOfA = a.sharedSlots();
        SharedSlots slotsOfB = b.sharedSlots();
        assertThat(slotsOfA.rebalance("svc", 4, 4, allowed -> 0)).as("alone").isEqualTo(new SharedSlots.Share(4, false));
        assertThat(slotsOfB.rebalance("svc", 4, 4, allowed -> 0)).as("node A holds them all").isEqualTo(new SharedSlots.Share(0, true));

        assertThat(slotsOfA.rebalance("svc", 4, 4, allowed -> 4).allowed()).as("A's fair share; its four calls hold four").isEqualTo(2);
        assertThat(slotsOfB.rebalance("svc", 4, 4, allowed -> 0).allowed()).isZero();
        assertThat(slotsOfA.rebalance("svc", 4, 4, allowed -> 2).allowed()).as("two of A's calls ended").isEqualTo(2);
        assertThat(slotsOfB.rebalance("svc", 4, 4, allowed -> 0).allowed()).isEqualTo(2);

        b.cluster().leave("node-a");
        assertThat(slotsOfB.rebalance("svc", 4, 4, allowed -> 2)).as("node A is gone").isEqualTo(new SharedSlots.Share(4, false));
    }

    @Test
    void should_apply_a_cancel_asked_on_another_node_only_on_the_node_that_runs_the_batch() {
        assertThat(b.requestCancel("b-1")).isTrue();

        assertThat(a.cancelsRequested()).containsExactly("b-1");
        assertThat(b.cancelsRequested()).isEmpty();
        assertThat(b.requestCancel("b-unknown")).isFalse();
    }

    @Test
    void should_reserve_starts_of_a_target_one_interval_apart_across_nodes() {
        Duration interval = Duration.ofMillis(500);
        Duration first = a.sharedRate().reserve("svc", 2, interval);
        Duration next = b.sharedRate().reserve("svc", 1, interval);

        assertThat(first).isLessThanOrEqualTo(Duration.ofMillis(50));
        // node B's start comes after node A's two, less the time between the two statements
        assertThat(next).isBetween(interval.multipliedBy(2).minusMillis(200), interval.multipliedBy(2));
    }
}
