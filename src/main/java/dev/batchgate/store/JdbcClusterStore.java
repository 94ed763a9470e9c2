package dev.batchgate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The cluster's nodes in {@code cluster_nodes} (migration V8), on PostgreSQL: {@code clock_timestamp()} is
 * the database's time at the statement, so a heartbeat late in a long transaction is not dated early.
 */
final class JdbcClusterStore implements ClusterStore {

    private static final String SEEN_WITHIN = "last_seen >= clock_timestamp() - ? * INTERVAL '1 millisecond'";

    private final Jdbc jdbc;

    JdbcClusterStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void join(String nodeId, String address, int inFlight) {
        jdbc.update("INSERT INTO cluster_nodes (node_id, address, started_at, last_seen, in_flight) "
                + "VALUES (?, ?, clock_timestamp(), clock_timestamp(), ?) ON CONFLICT (node_id) DO UPDATE SET "
                + "address = EXCLUDED.address, started_at = EXCLUDED.started_at, last_seen = EXCLUDED.last_seen, "
                + "in_flight = EXCLUDED.in_flight", ps -> {
                    ps.setString(1, nodeId);
                    ps.setString(2, address);
                    ps.setInt(3, inFlight);
                });
    }

    @Override
    public boolean heartbeat(String nodeId, int inFlight) {
        return jdbc.update("UPDATE cluster_nodes SET last_seen = clock_timestamp(), in_flight = ? WHERE node_id = ?", ps -> {
            ps.setInt(1, inFlight);
            ps.setString(2, nodeId);
        }) == 1;
    }

    @Override
    public List<Node> liveNodes(Duration deadAfter) {
        return jdbc.query("SELECT node_id, address, started_at, last_seen, in_flight FROM cluster_nodes WHERE " + SEEN_WITHIN
                + " ORDER BY started_at, node_id", ps -> ps.setLong(1, deadAfter.toMillis()), JdbcClusterStore::node);
    }

    @Override
    public List<String> removeDead(Duration deadAfter) {
        return jdbc.query("DELETE FROM cluster_nodes WHERE NOT (" + SEEN_WITHIN + ") RETURNING node_id",
                ps -> ps.setLong(1, deadAfter.toMillis()), rs -> rs.getString(1));
    }

    @Override
    public boolean holdLease(String name, String nodeId) {
        // a conflicting insert locks the row, so two nodes taking a free lease at once see each other's update
        return !jdbc.query("INSERT INTO cluster_leases (name, node_id) SELECT ?, node_id FROM cluster_nodes WHERE node_id = ? "
                + "ON CONFLICT (name) DO UPDATE SET node_id = EXCLUDED.node_id WHERE cluster_leases.node_id = EXCLUDED.node_id "
                + "OR NOT EXISTS (SELECT 1 FROM cluster_nodes n WHERE n.node_id = cluster_leases.node_id) RETURNING node_id", ps -> {
                    ps.setString(1, name);
                    ps.setString(2, nodeId);
                }, rs -> rs.getString(1)).isEmpty();
    }

    @Override
    public void leave(String nodeId) {
        jdbc.update("DELETE FROM cluster_nodes WHERE node_id = ?", ps -> ps.setString(1, nodeId));
    }

    private static Node node(ResultSet rs) throws SQLException {
        return new Node(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(), rs.getInt(5));
    }
}
