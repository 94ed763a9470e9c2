package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.ItemStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ItemPagingTest {

    private static final int ITEMS = 1200;

    private JdbcJobStore store;

    @BeforeEach
    void createBatch() {
        store = new JdbcJobStore("jdbc:h2:mem:paging-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.createBatch(new BatchRecord("b-1", "svc", "start", "{}", BatchStatus.RUNNING, null, ITEMS, BatchRecord.Counts.ZERO,
                "api", null, 0L, null, null, null),
                IntStream.range(0, ITEMS)
                        .mapToObj(i -> new StoredItem(i, "\"i-" + i + "\"", null, ItemStatus.PENDING, null)).iterator(),
                null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void should_refuse_items_and_drop_results_of_a_batch_the_store_does_not_have() {
        StoredItem item = new StoredItem(0, "\"x\"", null, ItemStatus.PENDING, null);
        assertThatThrownBy(() -> store.appendItems("b-gone", List.of(item)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isConstraintViolation()).isFalse())
                .hasMessageContaining("b-gone");

        store.saveResults(List.of(new JobStore.ResultRow("b-gone", 0, ItemStatus.SUCCEEDED, "{}"),
                new JobStore.ResultRow("b-1", 0, ItemStatus.SUCCEEDED, "{}")));

        assertThat(store.countItems("b-1", ItemStatus.SUCCEEDED)).isEqualTo(1);
        assertThat(store.countItems("b-gone", null)).isZero();
    }

    @Test
    void should_page_the_pending_items_in_input_order_when_some_have_finished() {
        store.saveResults(List.of(new JobStore.ResultRow("b-1", 3, ItemStatus.SUCCEEDED, "{}"),
                new JobStore.ResultRow("b-1", 700, ItemStatus.FAILED, "{}")));

        List<Integer> pending = new ArrayList<>();
        List<StoredItem> page;
        int after = -1;
        do {
            page = store.itemsWithStatus("b-1", List.of(ItemStatus.PENDING), after, 500);
            page.forEach(item -> pending.add(item.index()));
            after = page.isEmpty() ? after : page.get(page.size() - 1).index();
        } while (page.size() == 500);

        assertThat(pending).hasSize(ITEMS - 2).isSorted().doesNotContain(3, 700);
    }

    @Test
    void should_answer_a_results_page_in_input_order_when_given_an_offset() {
        assertThat(store.items("b-1", null, 1000, 500)).extracting(StoredItem::index)
                .containsExactlyElementsOf(IntStream.range(1000, ITEMS).boxed().toList());
        assertThat(store.items("b-1", ItemStatus.PENDING, 10, 3)).extracting(StoredItem::index).containsExactly(10, 11, 12);
    }
}
