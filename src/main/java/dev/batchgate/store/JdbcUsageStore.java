package dev.batchgate.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/** LLM usage in the {@code llm_usage} table (migration V3). */
final class JdbcUsageStore implements UsageStore {

    private static final Map<String, String> COLUMN_OF = Map.of("operation", "operation", "model", "model",
            "status", "status", "batchId", "batch_id", "metadata", "metadata");

    private final DataSource dataSource;

    JdbcUsageStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void record(UsageRow row) {
        String sql = "INSERT INTO llm_usage (batch_id, item_idx, item_id, operation, model, status, http_status, input_tokens, "
                + "output_tokens, cost_usd, latency_ms, error, metadata, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, row.batchId());
            ps.setInt(2, row.itemIndex());
            ps.setString(3, row.itemIdJson());
            ps.setString(4, row.operation());
            ps.setString(5, row.model());
            ps.setString(6, row.status().wire());
            if (row.httpStatus() == null) {
                ps.setNull(7, Types.INTEGER);
            } else {
                ps.setInt(7, row.httpStatus());
            }
            ps.setLong(8, row.inputTokens());
            ps.setLong(9, row.outputTokens());
            ps.setBigDecimal(10, row.costUsd());
            ps.setLong(11, row.latencyMs());
            ps.setString(12, row.error() == null || row.error().length() <= 1000 ? row.error() : row.error().substring(0, 999) + "…");
            ps.setString(13, row.metadataJson());
            ps.setLong(14, row.createdAt());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public List<Sums> sums(long since, String batchId, List<String> groupBy) {
        Set<String> keys = new LinkedHashSet<>();
        for (String name : groupBy) {
            keys.add(name.startsWith("metadata.") ? "metadata" : name);
        }
        List<String> columns = keys.stream().map(COLUMN_OF::get).toList();
        String select = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
        String sql = "SELECT " + select + "COUNT(*), "
                + "COALESCE(SUM(CASE WHEN status = 'rate_limited' THEN 1 ELSE 0 END), 0), "
                + "COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0), "
                + "COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0), COALESCE(SUM(cost_usd), 0) "
                + "FROM llm_usage WHERE created_at >= ?" + (batchId == null ? "" : " AND batch_id = ?")
                + (columns.isEmpty() ? "" : " GROUP BY " + String.join(", ", columns));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, since);
            if (batchId != null) {
                ps.setString(2, batchId);
            }
            List<Sums> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> values = new LinkedHashMap<>();
                    int i = 1;
                    for (String key : keys) {
                        values.put(key, rs.getString(i++));
                    }
                    long requests = rs.getLong(i++);
                    if (requests == 0) {
                        continue;
                    }
                    rows.add(new Sums(values, requests, rs.getLong(i++), rs.getLong(i++), rs.getLong(i++),
                            rs.getLong(i++), orZero(rs.getBigDecimal(i))));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public List<ModelUsage> byModel(String batchId) {
        String sql = "SELECT model, status, COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0), "
                + "COALESCE(SUM(cost_usd), 0) FROM llm_usage WHERE batch_id = ? GROUP BY model, status";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, batchId);
            List<ModelUsage> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ModelUsage(rs.getString(1), UsageRow.Status.fromWire(rs.getString(2)), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5),
                            orZero(rs.getBigDecimal(6))));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
