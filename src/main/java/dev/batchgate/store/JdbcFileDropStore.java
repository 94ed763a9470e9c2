package dev.batchgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * File drops in {@code file_drops} (migration V4). A batch being filled from a file carries
 * {@code extra.filling}, which keeps the engine from resuming it on its own after a restart.
 */
final class JdbcFileDropStore implements FileDropStore {

    private final Jdbc jdbc;

    JdbcFileDropStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void beginReading(String batchId, String sourceName, String workPath) {
        jdbc.inTransaction(c -> {
            execute(c, "UPDATE batches SET extra = ? WHERE id = ?", "{\"filling\":true}", batchId);
            execute(c, "INSERT INTO file_drops (batch_id, source_name, work_path, state, created_at) VALUES (?,?,?,?,?)",
                    batchId, sourceName, workPath, wire(State.READING), System.currentTimeMillis());
        });
    }

    @Override
    public void finishReading(String batchId) {
        jdbc.inTransaction(c -> {
            execute(c, "UPDATE batches SET extra = NULL WHERE id = ?", batchId);
            execute(c, "UPDATE file_drops SET state = ? WHERE batch_id = ?", wire(State.QUEUED), batchId);
        });
    }

    @Override
    public void markWritten(String batchId) {
        jdbc.inTransaction(c -> execute(c, "UPDATE file_drops SET state = ? WHERE batch_id = ?", wire(State.WRITTEN), batchId));
    }

    /** A rejected file's batch never started and nobody was told its id. */
    @Override
    public void deleteRejected(String batchId) {
        jdbc.inTransaction(c -> {
            execute(c, "DELETE FROM file_drops WHERE batch_id = ?", batchId);
            JdbcJobStore.deleteBatch(c, batchId);
        });
    }

    @Override
    public int deleteOrphans() {
        List<String> orphans = jdbc.query("SELECT id FROM batches b WHERE b.trigger_name LIKE 'file:%' AND b.status = 'pending' "
                + "AND b.total = 0 AND NOT EXISTS (SELECT 1 FROM file_drops d WHERE d.batch_id = b.id)", ps -> {
                }, rs -> rs.getString(1));
        orphans.forEach(this::deleteRejected);
        return orphans.size();
    }

    @Override
    public Drop find(String batchId) {
        List<Drop> drops = drops("SELECT batch_id, source_name, work_path, state FROM file_drops WHERE batch_id = ?", batchId);
        return drops.isEmpty() ? null : drops.get(0);
    }

    @Override
    public Drop findByWorkPath(String workPath) {
        List<Drop> drops = drops("SELECT batch_id, source_name, work_path, state FROM file_drops WHERE work_path = ?", workPath);
        return drops.isEmpty() ? null : drops.get(0);
    }

    @Override
    public List<Drop> withState(State state) {
        return drops("SELECT batch_id, source_name, work_path, state FROM file_drops WHERE state = ? ORDER BY created_at", wire(state));
    }

    @Override
    public Map<String, Integer> storedKeys(String batchId, Collection<String> keys) {
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
                rs -> new Drop(rs.getString(1), rs.getString(2), rs.getString(3), State.valueOf(rs.getString(4).toUpperCase(Locale.ROOT))));
    }

    static String wire(State state) {
        return state.name().toLowerCase(Locale.ROOT);
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
