package dev.batchgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchgate.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upgrade that moved item ids out of {@code items} into {@code item_keys} (V5), on a store written
 * by the version before it: a file still being read keeps finding the ids it stored, and a batch
 * stored in one go keeps its items.
 */
class ItemKeysMigrationTest {

    private final TestDatabase db = TestDatabase.fresh();

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void should_keep_the_ids_of_a_file_being_read_when_the_store_is_upgraded() throws SQLException {
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).target("4").load().migrate();
        try (Connection c = db.connect()) {
            insertBatch(c, "b-file", "file:ids.txt");
            insertItem(c, "b-file", 0, "a");
            insertItem(c, "b-file", 1, "b");
            execute(c, "INSERT INTO file_drops (batch_id, source_name, work_path, state, created_at) VALUES ('b-file', 'ids.txt', 'w', 'reading', 0)");
            insertBatch(c, "b-api", "api");
            insertItem(c, "b-api", 0, "a");
        }

        try (JobStore store = new JobStore(db.url(), db.user(), db.password())) {
            assertThat(keys(store, "b-file")).containsExactly("a", "b");
            assertThat(keys(store, "b-api")).isEmpty();
            assertThat(store.countItems("b-api", "pending")).isEqualTo(1);

            StoredItem again = new StoredItem(2, "\"b\"", null, "pending", null);
            assertThatThrownBy(() -> store.appendItems("b-file", List.of(again)))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isConstraintViolation()).isTrue());
            store.appendItems("b-file", List.of(new StoredItem(2, "\"c\"", null, "pending", null)));
            assertThat(keys(store, "b-file")).containsExactly("a", "b", "c");
        }
    }

    private static List<String> keys(JobStore store, String batchId) {
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
