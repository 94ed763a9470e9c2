package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Results written in one commit, on the store the suite runs on (H2, or PostgreSQL where the rows go in
 * one statement): each item ends with its latest result, and a stage set by an earlier one stays.
 */
class ResultRowsTest {

    private static final int ITEMS = 300;

    private TestDatabase db;
    private JdbcJobStore store;

    @BeforeEach
    void createBatch() {
        db = TestDatabase.fresh();
        store = new JdbcJobStore(db.url(), db.user(), db.password());
        store.createBatch(new BatchRecord("b-1", "svc", "start", "{}", BatchStatus.RUNNING, null, ITEMS, BatchRecord.Counts.ZERO,
                "api", null, 0L, null, null, null),
                IntStream.range(0, ITEMS).mapToObj(i -> new StoredItem(i, "\"i-" + i + "\"", null, ItemStatus.PENDING, null)).iterator(),
                null);
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    @Test
    void should_keep_each_items_latest_result_and_its_stage_when_one_commit_holds_several_for_an_item() {
        List<JobStore.ResultRow> rows = new ArrayList<>(IntStream.range(0, ITEMS)
                .mapToObj(i -> new JobStore.ResultRow("b-1", i, ItemStatus.SUCCEEDED, "{\"n\":" + i + "}", null, i + 1)).toList());
        rows.add(new JobStore.ResultRow("b-1", 7, ItemStatus.PENDING, "{\"stage\":1}", 1, 0));
        rows.add(new JobStore.ResultRow("b-1", 7, ItemStatus.FAILED, "{\"late\":true}", null, ITEMS + 1));

        store.saveResults(rows);

        assertThat(store.countItems("b-1", ItemStatus.SUCCEEDED)).isEqualTo(ITEMS - 1);
        assertThat(store.itemsAtStage("b-1", ItemStatus.FAILED, 1, -1, 10)).extracting(StoredItem::index).containsExactly(7);
        assertThat(store.items("b-1", ItemStatus.FAILED, 0, 10)).singleElement()
                .satisfies(item -> assertThat(item.resultJson()).contains("late"));
        assertThat(store.finishedBetween("b-1", ITEMS, ITEMS + 1, 10)).singleElement()
                .satisfies(finished -> assertThat(finished.status()).isEqualTo(ItemStatus.FAILED));
        assertThat(store.lastFinishSeq("b-1")).isEqualTo(ITEMS + 1);
    }
}
