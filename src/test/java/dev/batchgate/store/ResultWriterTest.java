package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.ItemStatus;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResultWriterTest {

    private JdbcJobStore store;
    private ResultWriter writer;

    @BeforeEach
    void createBatch() {
        store = new JdbcJobStore("jdbc:h2:mem:writer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.createBatch(new BatchRecord("b-1", "svc", "start", "{}", BatchStatus.RUNNING, null, 2, BatchRecord.Counts.ZERO,
                "api", null, 0L, null, null, null),
                IntStream.range(0, 2)
                        .mapToObj(i -> new StoredItem(i, "\"i-" + i + "\"", null, ItemStatus.PENDING, null)).iterator(),
                null);
        writer = new ResultWriter(store, 1);
    }

    @AfterEach
    void close() {
        writer.close();
        store.close();
    }

    @Test
    void should_refuse_a_result_without_waiting_when_max_unwritten_results_are_not_committed() throws Exception {
        try (Connection blocker = store.dataSource().getConnection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.executeUpdate("UPDATE items SET status = 'pending' WHERE item_no = (SELECT num FROM batches WHERE id = 'b-1') * 4294967296");

            assertThat(writer.tryWrite(new JobStore.ResultRow("b-1", 0, ItemStatus.SUCCEEDED, "{}"))).isTrue();
            assertThat(writer.tryWrite(new JobStore.ResultRow("b-1", 1, ItemStatus.SUCCEEDED, "{}")))
                    .as("the first result cannot be committed while its row is locked").isFalse();

            blocker.rollback();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> writer.tryWrite(new JobStore.ResultRow("b-1", 1, ItemStatus.FAILED, "{}")));
        writer.flush();

        assertThat(store.countItems("b-1", ItemStatus.SUCCEEDED)).isEqualTo(1);
        assertThat(store.countItems("b-1", ItemStatus.FAILED)).isEqualTo(1);
    }

    @Test
    void should_commit_every_result_when_writers_keep_filling_the_queue() throws Exception {
        int items = 500;
        store.createBatch(new BatchRecord("b-2", "svc", "start", "{}", BatchStatus.RUNNING, null, items, BatchRecord.Counts.ZERO,
                "api", null, 0L, null, null, null),
                IntStream.range(0, items)
                        .mapToObj(i -> new StoredItem(i, "\"i-" + i + "\"", null, ItemStatus.PENDING, null)).iterator(),
                null);
        try (ResultWriter small = new ResultWriter(store, 8)) {
            Thread other = new Thread(() -> IntStream.range(0, items / 2)
                    .forEach(i -> small.write(new JobStore.ResultRow("b-2", i, ItemStatus.SUCCEEDED, "{}"))));
            other.start();
            IntStream.range(items / 2, items).forEach(i -> small.write(new JobStore.ResultRow("b-2", i, ItemStatus.FAILED, "{}")));
            other.join();
            small.flush();
        }

        assertThat(store.countItems("b-2", ItemStatus.SUCCEEDED)).isEqualTo(items / 2);
        assertThat(store.countItems("b-2", ItemStatus.FAILED)).isEqualTo(items / 2);
    }
}
