package dev.batchgate.store;

import dev.batchgate.target.SharedTunings;
import java.util.LinkedHashMap;
import java.util.Map;

/** The targets' retunes in {@code target_tunings} (migration V11), on PostgreSQL. */
final class JdbcSharedTunings implements SharedTunings {

    private final Jdbc jdbc;

    JdbcSharedTunings(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void save(String target, Integer rpm, Integer concurrency) {
        jdbc.update("INSERT INTO target_tunings AS t (target, rpm, concurrency) VALUES (?, ?, ?) ON CONFLICT (target) DO UPDATE SET "
                + "rpm = COALESCE(EXCLUDED.rpm, t.rpm), concurrency = COALESCE(EXCLUDED.concurrency, t.concurrency)", ps -> {
                    ps.setString(1, target);
                    ps.setObject(2, rpm, java.sql.Types.INTEGER);
                    ps.setObject(3, concurrency, java.sql.Types.INTEGER);
                });
    }

    @Override
    public Map<String, Tuning> all() {
        Map<String, Tuning> all = new LinkedHashMap<>();
        jdbc.query("SELECT target, rpm, concurrency FROM target_tunings ORDER BY target", ps -> {
        }, rs -> Map.entry(rs.getString(1), new Tuning((Integer) rs.getObject(2), (Integer) rs.getObject(3))))
                .forEach(row -> all.put(row.getKey(), row.getValue()));
        return all;
    }
}
