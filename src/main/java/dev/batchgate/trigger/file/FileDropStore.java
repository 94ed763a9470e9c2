package dev.batchgate.trigger.file;

import dev.batchgate.store.Jdbc;
import dev.batchgate.store.JobStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job-store side of file drops ({@code file_drops}, migration V4): which batch a file became and
 * how far it got. A batch being filled from a file carries {@code extra.filling}, which keeps the
 * engine from resuming it on its own after a restart.
 */
public final class FileDropStore {

    static final String READING = "reading";
    static final String QUEUED = "queued";
    static final String WRITTEN = "written";

    /** A file drop as stored: {@code sourceName} is the path under the inbox, {@code workPath} where the file is read from. */
    record Drop(String batchId, String sourceName, String workPath, String state) {
    }

    private final Jdbc jdbc;

    public FileDropStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Marks the new (empty, pending) batch as being filled from {@code workPath}. */
    void beginReading(String batchId, String sourceName, String workPath) {
        jdbc.inTransaction(c -> {
            execute(c, "UPDATE batches SET extra = ? WHERE id = ?", "{\"filling\":true}", batchId);
            execute(c, "INSERT INTO file_drops (batch_id, source_name, work_path, state, created_at) VALUES (?,?,?,?,?)",
                    batchId, sourceName, workPath, READING, System.currentTimeMillis());
        });
    }

    /** Every item is stored: the batch may run. */
    void finishReading(String batchId) {
        jdbc.inTransaction(c -> {
            execute(c, "UPDATE batches SET extra = NULL WHERE id = ?", batchId);
            execute(c, "UPDATE file_drops SET state = ? WHERE batch_id = ?", QUEUED, batchId);
        });
    }

    void markWritten(String batchId) {
        jdbc.inTransaction(c -> execute(c, "UPDATE file_drops SET state = ? WHERE batch_id = ?", WRITTEN, batchId));
    }

    /** A rejected file leaves no batch behind: it never started and nobody was told its id. */
    void deleteRejected(String batchId) {
        jdbc.inTransaction(c -> {
            execute(c, "DELETE FROM file_drops WHERE batch_id = ?", batchId);
            JobStore.deleteBatch(c, batchId);
        });
    }

    /**
     * Removes file batches that a crash left between their creation and {@link #beginReading}: empty,
     * never started, with no file drop row. Their file is read again from the start.
     */
    int deleteOrphans() {
        List<String> orphans = jdbc.query("SELECT id FROM batches b WHERE b.trigger_name LIKE 'file:%' AND b.status = 'pending' "
                + "AND b.total = 0 AND NOT EXISTS (SELECT 1 FROM file_drops d WHERE d.batch_id = b.id)", ps -> {
                }, rs -> rs.getString(1));
        orphans.forEach(this::deleteRejected);
        return orphans.size();
    }

    Drop find(String batchId) {
        List<Drop> drops = drops("SELECT batch_id, source_name, work_path, state FROM file_drops WHERE batch_id = ?", batchId);
        return drops.isEmpty() ? null : drops.get(0);
    }

    Drop findByWorkPath(String workPath) {
        List<Drop> drops = drops("SELECT batch_id, source_name, work_path, state FROM file_drops WHERE work_path = ?", workPath);
        return drops.isEmpty() ? null : drops.get(0);
    }

    List<Drop> withState(String state) {
        return drops("SELECT batch_id, source_name, work_path, state FROM file_drops WHERE state = ? ORDER BY created_at", state);
    }

    /** Of {@code keys}, those already stored in the batch, with the index each has there. */
    Map<String, Integer> storedKeys(String batchId, Collection<String> keys) {
        Map<String, Integer> found = new LinkedHashMap<>();
        List<String> list = new ArrayList<>(keys);
        for (int from = 0; from < list.size(); from += 500) {
            List<String> slice = list.subList(from, Math.min(list.size(), from + 500));
            List<Object> args = new ArrayList<>();
            args.add(batchId);
            args.addAll(slice);
            String marks = String.join(",", slice.stream().map(k -> "?").toList());
            jdbc.query("SELECT item_key, idx FROM item_keys WHERE batch_id = ? AND item_key IN (" + marks + ")",
                    ps -> bind(ps, args.toArray()), rs -> Map.entry(rs.getString(1), rs.getInt(2)))
                    .forEach(row -> found.put(row.getKey(), row.getValue()));
        }
        return found;
    }

    private List<Drop> drops(String sql, String arg) {
        return jdbc.query(sql, ps -> ps.setString(1, arg),
                rs -> new Drop(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
    }

    private static void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) args[i]);
            }
        }
    }
}
