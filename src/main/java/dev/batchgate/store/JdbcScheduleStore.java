package dev.batchgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** The schedule firings in {@code schedule_firings} (migration V4). */
final class JdbcScheduleStore implements ScheduleStore {

    private final DataSource dataSource;

    JdbcScheduleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<ScheduleFiring> last(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT fired_at, outcome, batch_id, message, started, skipped, failed FROM schedule_firings WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ScheduleFiring(rs.getLong(1), ScheduleFiring.Outcome.valueOf(rs.getString(2)),
                        rs.getString(3), rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getInt(7)));
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public boolean claim(String name, long firingAt) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedule_firings SET fired_at = ? WHERE name = ? AND fired_at < ?")) {
                ps.setLong(1, firingAt);
                ps.setString(2, name);
                ps.setLong(3, firingAt);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            // the schedule's first firing: the row's key lets one node insert it
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_firings (fired_at, outcome, batch_id, message, "
                    + "started, skipped, failed, name) SELECT ?, ?, NULL, NULL, 0, 0, 0, ? WHERE NOT EXISTS "
                    + "(SELECT 1 FROM schedule_firings WHERE name = ?)")) {
                ps.setLong(1, firingAt);
                ps.setString(2, ScheduleFiring.Outcome.STARTED.name());
                ps.setString(3, name);
                ps.setString(4, name);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (new StoreException(e).isConstraintViolation()) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void save(String name, ScheduleFiring firing) {
        try (Connection c = dataSource.getConnection()) {
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedule_firings SET fired_at = ?, outcome = ?, batch_id = ?, "
                    + "message = ?, started = ?, skipped = ?, failed = ? WHERE name = ?")) {
                bind(ps, firing, name);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_firings (fired_at, outcome, batch_id, message, "
                        + "started, skipped, failed, name) VALUES (?,?,?,?,?,?,?,?)")) {
                    bind(ps, firing, name);
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static void bind(PreparedStatement ps, ScheduleFiring firing, String name) throws SQLException {
        ps.setLong(1, firing.firedAt());
        ps.setString(2, firing.outcome().name());
        ps.setString(3, firing.batchId());
        String message = firing.message();
        ps.setString(4, message != null && message.length() > 1000 ? message.substring(0, 1000) : message);
        ps.setInt(5, firing.started());
        ps.setInt(6, firing.skipped());
        ps.setInt(7, firing.failed());
        ps.setString(8, name);
    }
}
