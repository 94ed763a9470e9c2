package dev.batchgate.trigger.schedule;

import dev.batchgate.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** The last firing of each schedule ({@code schedule_firings}, migration V4), so that it survives a restart. */
public final class ScheduleStore {

    private final DataSource dataSource;

    public ScheduleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Optional<Schedules.Firing> last(String name) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT fired_at, outcome, batch_id, message, started, skipped, failed FROM schedule_firings WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Schedules.Firing(rs.getLong(1), Schedules.Outcome.valueOf(rs.getString(2)),
                        rs.getString(3), rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getInt(7)));
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    void save(String name, Schedules.Firing firing) {
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

    private static void bind(PreparedStatement ps, Schedules.Firing firing, String name) throws SQLException {
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
