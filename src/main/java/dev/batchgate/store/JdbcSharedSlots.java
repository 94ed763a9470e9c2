package dev.batchgate.store;

import dev.batchgate.ratelimit.FairShares;
import dev.batchgate.ratelimit.SharedSlots;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * The targets' slots in {@code target_slots} (migration V13), on PostgreSQL. A rebalance of one target
 * runs under a transaction-scoped advisory lock on the target, so that two nodes never both count the
 * same free slots; it reads the rows of the live nodes, computes this node's fair share and writes its row.
 */
final class JdbcSharedSlots implements SharedSlots {

    /** How long the nodes keep one order for a target's slots when there are fewer slots than nodes wanting them. */
    private static final long TURN_MILLIS = TimeUnit.SECONDS.toMillis(10);

    private final Jdbc jdbc;
    private final Supplier<String> nodeId;

    JdbcSharedSlots(Jdbc jdbc, Supplier<String> nodeId) {
        this.jdbc = jdbc;
        this.nodeId = nodeId;
    }

    private record Row(String nodeId, int held, int wanted) {
    }

    @Override
    public Share rebalance(String target, int concurrency, int wanted, IntUnaryOperator lowerTo) {
        String me = nodeId.get();
        Share[] share = new Share[1];
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('target_slots:' || ?))")) {
                ps.setString(1, target);
                ps.execute();
            }
            // every node orders the wanting nodes alike (by id), so that they agree on whose turn it is
            List<Row> rows = new ArrayList<>(others(c, target, me));
            int othersHeld = rows.stream().mapToInt(Row::held).sum();
            rows.add(new Row(me, 0, wanted));
            rows.sort(Comparator.comparing(Row::nodeId));
            int[] shares = FairShares.of(concurrency, rows.stream().map(Row::wanted).toList(),
                    (int) (System.currentTimeMillis() / TURN_MILLIS % rows.size()));
            int mine = rows.indexOf(new Row(me, 0, wanted));
            int allowed = Math.max(0, Math.min(shares[mine], concurrency - othersHeld));
            int held = Math.max(lowerTo.applyAsInt(allowed), allowed);
            write(c, target, me, held, wanted);
            share[0] = new Share(allowed, rows.stream().mapToInt(Row::wanted).sum() > concurrency);
        });
        return share[0];
    }

    /** The rows of the target's other live nodes (the advisory lock keeps them as they are until the commit). */
    private static List<Row> others(Connection c, String target, String me) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.node_id, s.held, s.wanted FROM target_slots s "
                + "JOIN cluster_nodes n ON n.node_id = s.node_id WHERE s.target = ? AND s.node_id <> ? ORDER BY s.node_id")) {
            ps.setString(1, target);
            ps.setString(2, me);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getInt(2), rs.getInt(3)));
                }
            }
        }
        return rows;
    }

    private static void write(Connection c, String target, String me, int held, int wanted) throws SQLException {
        String sql = held == 0 && wanted == 0 ? "DELETE FROM target_slots WHERE target = ? AND node_id = ?"
                : "INSERT INTO target_slots (target, node_id, held, wanted) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (target, node_id) DO UPDATE SET held = EXCLUDED.held, wanted = EXCLUDED.wanted";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, target);
            ps.setString(2, me);
            if (held != 0 || wanted != 0) {
                ps.setInt(3, held);
                ps.setInt(4, wanted);
            }
            ps.executeUpdate();
        }
    }
}
