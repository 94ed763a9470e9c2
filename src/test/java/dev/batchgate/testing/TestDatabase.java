package dev.batchgate.testing;

import dev.batchgate.store.StorePassword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A job store of its own for one test app (or for one app and its restarts): a fresh H2 file, or,
 * with {@code BATCHGATE_TEST_DB_URL} set (the PostgreSQL run of {@code .ci/run}), a fresh schema in
 * that database, selected with {@code currentSchema} and dropped on {@link #close()}. An H2 store is
 * configured as shipped, without a password, so it gets the generated one (see {@link StorePassword}).
 */
public record TestDatabase(String url, String user, String password, String schema) implements AutoCloseable {

    public static final String URL_ENV = "BATCHGATE_TEST_DB_URL";

    /** Set to {@code true} (with a PostgreSQL URL) to run every test app as a one-node cluster. */
    public static final String CLUSTER_ENV = "BATCHGATE_TEST_CLUSTER";

    /**
     * Whether the suite runs each app as a cluster of one node: on PostgreSQL with
     * {@code BATCHGATE_TEST_CLUSTER=true}. A restarted app is a new node, which claims the batches of the
     * one before once that is found dead, so the nodes heartbeat every 500 ms and are dead after 2 s.
     */
    public static boolean clusterOfOne() {
        return postgres() && "true".equals(System.getenv(CLUSTER_ENV));
    }

    /** The properties of a one-node cluster (see {@link #clusterOfOne}). */
    static Map<String, String> clusterOfOneProperties() {
        return Map.of("batchgate.cluster.enabled", "true", "batchgate.cluster.heartbeat", "500ms", "batchgate.cluster.dead-after", "2s");
    }

    public static boolean postgres() {
        String url = System.getenv(URL_ENV);
        return url != null && !url.isBlank();
    }

    /** A fresh store in a temporary directory of its own (for a test that restarts apps on one store). */
    public static TestDatabase fresh() {
        try {
            return fresh(Files.createTempDirectory("batchgate-test-db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestDatabase fresh(Path dir) {
        if (!postgres()) {
            return new TestDatabase("jdbc:h2:file:" + dir.resolve("db"), "sa", "", null);
        }
        String base = System.getenv(URL_ENV);
        String user = System.getenv().getOrDefault("BATCHGATE_TEST_DB_USER", "batchgate");
        String password = System.getenv().getOrDefault("BATCHGATE_TEST_DB_PASSWORD", "batchgate-pg-test");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema in " + base + ": " + e.getMessage(), e);
        }
        return new TestDatabase(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password, schema);
    }

    /**
     * A connection for a test's own look into the store (H2: only while no app has the file open), with
     * the store's own credential: an H2 store configured without a password has one in its password file.
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, storePassword());
    }

    /** The password the store opens with: the configured one, or for an H2 store the one in its password file. */
    public String storePassword() {
        return StorePassword.resolve(url, password);
    }

    @Override
    public void close() {
        if (schema == null) {
            return;
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException e) {
            // a schema left behind costs nothing but space in a throwaway database
        }
    }
}
