package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Upgrades of the job store's schema, each on a store written by the version before it. */
class StoreMigrationTest {

    private final TestDatabase db = TestDatabase.fresh();

    @AfterEach
    void close() {
        db.close();
    }

    /**
     * V5 moved item ids out of {@code items} into {@code item_keys}: a file still being read keeps finding
     * the ids it stored, and a batch stored in one go keeps its items.
     */
    @Test
    void should_keep_the_ids_of_a_file_being_read_when_the_store_is_upgraded() throws SQLException {
        Flyway.configure().dataSource(db.url(), db.user(), db.storePassword()).target("4").load().migrate();
        try (Connection c = db.connect()) {
            insertBatch(c, "b-file", "file:ids.txt");
            insertItem(c, "b-file", 0, "a");
            insertItem(c, "b-file", 1, "b");
            execute(c,
                    "INSERT INTO file_drops (batch_id, source_name, work_path, state, created_at) VALUES ('b-file', 'ids.txt', 'w', 'reading', 0)");
            insertBatch(c, "b-api", "api");
            insertItem(c, "b-api", 0, "a");
        }

        try (JdbcJobStore store = new JdbcJobStore(db.url(), db.user(), db.password())) {
            assertThat(keys(store, "b-file")).containsExactly("a", "b");
            assertThat(keys(store, "b-api")).isEmpty();
            assertThat(store.countItems("b-api", ItemStatus.PENDING)).isEqualTo(1);

            StoredItem again = new StoredItem(2, "\"b\"", null, ItemStatus.PENDING, null);
            assertThatThrownBy(() -> store.appendItems("b-file", List.of(again)))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isConstraintViolation()).isTrue());
            store.appendItems("b-file", List.of(new StoredItem(2, "\"c\"", null, ItemStatus.PENDING, null)));
            assertThat(keys(store, "b-file")).containsExactly("a", "b", "c");
        }
    }

    /** A store migrated before V4's comments were reworded still opens: Flyway checksums comments too. */
    @Test
    void should_open_a_store_migrated_before_the_v4_comments_were_reworded() throws SQLException {
        Flyway.configure().dataSource(db.url(), db.user(), db.storePassword()).target("4").load().migrate();
        try (Connection c = db.connect()) {
            execute(c, "UPDATE \"flyway_schema_history\" SET \"checksum\" = -707820968 WHERE \"version\" = '4'");
        }

        try (JdbcJobStore store = new JdbcJobStore(db.url(), db.user(), db.password())) {
            assertThat(store.isReachable()).isTrue();
        }
        Flyway.configure().dataSource(db.url(), db.user(), db.storePassword()).load().validate();
    }

    /** V6 numbered the items (batch number × 2^32 + index): every item keeps its batch, index, id, status, result and stage. */
    @Test
    void should_keep_every_item_of_every_batch_when_items_are_numbered() throws SQLException {
        Flyway.configure().dataSource(db.url(), db.user(), db.storePassword()).target("5").load().migrate();
        try (Connection c = db.connect()) {
            insertBatch(c, "b-old", "api");
            insertBatch(c, "b-chain", "api");
            execute(c, "INSERT INTO items (batch_id, idx, id_json, params, status, result, stage) VALUES "
                    + "('b-old', 0, '\"a\"', '{\"x\":1}', 'succeeded', '{\"ok\":true}', 0), "
                    + "('b-old', 1, '\"b\"', NULL, 'pending', NULL, 0), "
                    + "('b-chain', 0, '\"a\"', NULL, 'pending', NULL, 2)");
        }

        try (JdbcJobStore store = new JdbcJobStore(db.url(), db.user(), db.password())) {
            assertThat(store.items("b-old", null, 0, 10)).containsExactly(
                    new StoredItem(0, "\"a\"", "{\"x\":1}", ItemStatus.SUCCEEDED, "{\"ok\":true}"),
                    new StoredItem(1, "\"b\"", null, ItemStatus.PENDING, null));
            assertThat(store.countByStatusAndStage("b-chain")).containsExactly(new JobStore.StageCount(ItemStatus.PENDING, 2, 1));

            store.saveResults(List.of(new JobStore.ResultRow("b-old", 1, ItemStatus.FAILED, "{}")));
            assertThat(store.countItems("b-old", ItemStatus.SUCCEEDED)).isEqualTo(1);
            assertThat(store.countItems("b-old", ItemStatus.FAILED)).isEqualTo(1);
            assertThat(store.countByStatusAndStage("b-chain")).containsExactly(new JobStore.StageCount(ItemStatus.PENDING, 2, 1));

            store.createBatch(new BatchRecord("b-new", "svc", "start", "{}", BatchStatus.RUNNING, null, 1, BatchRecord.Counts.ZERO,
                    "api", null, 0L, null, null, null), List.of(new StoredItem(0, "\"n\"", null, ItemStatus.PENDING, null)).iterator(),
                    null);
            assertThat(store.items("b-new", null, 0, 10)).extracting(StoredItem::idJson).containsExactly("\"n\"");
            assertThat(store.countItems("b-old", null)).isEqualTo(2);
        }
    }

    private static List<String> keys(JdbcJobStore store, String batchId) {
        return store.jdbc().query("SELECT item_key FROM item_keys WHERE batch_id = ? ORDER BY idx", ps -> ps.setString(1, batchId),
                rs -> rs.getString(1));
    }

    private static void insertBatch(Connection c, String id, String trigger) throws SQLException {
        execute(c, "INSERT INTO batches (id, target, operation, spec, status, total, trigger_name, created_at) "
                + "VALUES ('" + id + "', 'svc', 'start', '{}', 'pending', 0, '" + trigger + "', 0)");
    }

    private static void insertItem(Connection c, String batchId, int index, String key) throws SQLException {
        execute(c, "INSERT INTO items (batch_id, idx, item_key, id_json, status) VALUES ('" + batchId + "', " + index + ", '"
                + key + "', '\"" + key + "\"', 'pending')");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}
