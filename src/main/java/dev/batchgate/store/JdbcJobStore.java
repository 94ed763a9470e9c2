package dev.batchgate.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.json.Json;
import dev.batchgate.ratelimit.SharedRate;
import dev.batchgate.ratelimit.SharedSlots;
import dev.batchgate.target.SharedTunings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job store on a JDBC database (embedded H2 or PostgreSQL): plain JDBC over a connection pool, the
 * schema managed by Flyway migrations ({@code db/migration}). The stores beside it (file drops, schedule
 * firings, LLM usage) share its database and pool.
 */
public final class JdbcJobStore implements JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJobStore.class);
    private static final int INSERT_CHUNK = 1000;
    private static final String ITEM_COLUMNS = "SELECT item_no, id_json, params, status, result FROM items ";
    private static final String BATCH_NUMBER = "SELECT num FROM batches WHERE id = ?";
    private static final String UNFINISHED = "status IN ('pending', 'running')";
    /**
     * Not a batch a file drop is still filling (binds the reading state), nor one a crash left before its
     * file was registered (the file is read again into a new batch).
     */
    private static final String NOT_FILLING = "NOT EXISTS (SELECT 1 FROM file_drops d WHERE d.batch_id = b.id AND d.state = ?) "
            + "AND NOT (b.trigger_name LIKE 'file:%' AND b.total = 0 AND NOT EXISTS (SELECT 1 FROM file_drops d WHERE d.batch_id = b.id))";
    private static final String OWNER_GONE = "NOT EXISTS (SELECT 1 FROM cluster_nodes n WHERE n.node_id = b.owner_node)";
    private static final String READING = JdbcFileDropStore.wire(FileDropStore.State.READING);
    /** The batch's row is under this node's claim (binds {@link #token}); on a single node both are null. */
    private static final String CLAIMED = "claim_token IS NOT DISTINCT FROM ?";

    /** The job store's transactions never wait for anything but the database: a pause this long means a frozen node. */
    private static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(5);
    private static final int V4_CHECKSUM_BEFORE_REWORDING = -707820968;
    private static final int V4_CHECKSUM = -1149064291;

    /** How long a call waits for a store connection by default before it fails (and the API answers 503). */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    static {
        // the TCP server AUTO_SERVER starts (see durableUrl) is for processes on this machine only; H2 reads
        // this property when it starts one, and would otherwise listen on every interface
        System.setProperty("h2.bindAddress", "127.0.0.1");
    }

    private final HikariDataSource dataSource;
    private final Jdbc jdbc;
    /** Cluster mode: the node this store runs batches as (null on a single node), and its claim on each. */
    private volatile String nodeId;
    private final boolean postgres;
    private final Map<String, String> claims = new ConcurrentHashMap<>();

    public JdbcJobStore(String url, String user, String password) {
        this(url, user, password, DEFAULT_CONNECTION_TIMEOUT);
    }

    /**
     * {@code connectionTimeout} bounds how long a call waits for a connection: with the store down, a
     * health check or a new batch fails after it instead of Hikari's 30 s (the result writer retries).
     */
    public JdbcJobStore(String url, String user, String password, Duration connectionTimeout) {
        String durable = durableUrl(url);
        String storePassword = StorePassword.resolve(url, password);
        if (StorePassword.file(url).isPresent() && !storePassword.equals(password)) {
            StorePassword.adopt(durable, user, storePassword);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(durable);
        config.setUsername(user);
        config.setPassword(storePassword);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        // Hikari wants the liveness check of a pooled connection shorter than the wait for one
        config.setValidationTimeout(Math.max(250, connectionTimeout.toMillis() / 2));
        config.setExceptionOverride(new EvictBrokenH2Sessions());
        config.setMaximumPoolSize(10);
        config.setPoolName("job-store");
        postgres = url.startsWith("jdbc:postgresql:");
        if (postgres) {
            // the driver sends a batch of inserts (a batch's items) as multi-row statements, not one per row
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            // a node frozen inside a transaction (a long pause, SIGSTOP) would keep its locks, and a batch row it
            // locked could not be claimed by the node taking over; PostgreSQL ends such a session instead
            config.setConnectionInitSql("SET idle_in_transaction_session_timeout = '" + IDLE_IN_TRANSACTION.toMillis() + "ms'");
        }
        this.dataSource = new HikariDataSource(config);
        this.jdbc = new Jdbc(dataSource);
        realignRewordedMigrations();
        Flyway.configure().dataSource(dataSource).load().migrate();
    }

    /**
     * V4's comments were reworded after release. Flyway checksums comments too and would refuse a store
     * migrated before; such a store's history is given the new checksum (nothing else in V4 changed).
     */
    private void realignRewordedMigrations() {
        try (Connection c = dataSource.getConnection()) {
            boolean migrated;
            try (ResultSet tables = c.getMetaData().getTables(null, c.getSchema(), "flyway_schema_history", null)) {
                migrated = tables.next();
            }
            if (migrated) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE \"flyway_schema_history\" SET \"checksum\" = ? WHERE \"version\" = '4' AND \"checksum\" = ?")) {
                    ps.setInt(1, V4_CHECKSUM);
                    ps.setInt(2, V4_CHECKSUM_BEFORE_REWORDING);
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * The pool drops a connection on the SQL states that mean "connection gone" (PostgreSQL's 08xxx); H2
     * says so with codes of its own, and a connection to an H2 server that went away would otherwise stay
     * pooled and fail every call after the server is back.
     */
    private static final class EvictBrokenH2Sessions implements SQLExceptionOverride {
        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return e.getErrorCode() == ErrorCode.CONNECTION_BROKEN_1 || e.getErrorCode() == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN
                    ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
        }
    }

    /**
     * H2 holds commits in memory for up to half a second by default; a 202 must mean "on disk",
     * so commits are written at once. An H2 file database is opened with AUTO_SERVER, so a second
     * process on the same data directory ({@code batchgate.jar mcp} next to a server) shares it
     * instead of failing on the file lock (over a TCP server on 127.0.0.1 only).
     */
    static String durableUrl(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String durable = url;
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (!upper.contains("WRITE_DELAY")) {
            durable += ";WRITE_DELAY=0";
        }
        boolean embeddedFile = !upper.matches("JDBC:H2:(MEM|TCP|SSL|ZIP):.*");
        if (embeddedFile && !upper.contains("AUTO_SERVER")) {
            durable += ";AUTO_SERVER=TRUE";
        }
        return durable;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The store's database, for tests. */
    Jdbc jdbc() {
        return jdbc;
    }

    /** The file drops, on this store's database. */
    public FileDropStore fileDrops() {
        return new JdbcFileDropStore(jdbc);
    }

    /** The schedules' firings, on this store's database. */
    public ScheduleStore scheduleFirings() {
        return new JdbcScheduleStore(dataSource);
    }

    /** The nodes of a cluster, on this store's database (PostgreSQL). */
    public ClusterStore cluster() {
        return new JdbcClusterStore(jdbc);
    }

    /** The targets' starts shared by the nodes of a cluster, on this store's database (PostgreSQL). */
    public SharedRate sharedRate() {
        return new JdbcSharedRate(jdbc);
    }

    /** The targets' slots shared by the nodes of a cluster, on this store's database (PostgreSQL), for the node it {@link #runAs}. */
    public SharedSlots sharedSlots() {
        return new JdbcSharedSlots(jdbc, () -> nodeId);
    }

    /** The targets' retunes shared by the nodes of a cluster, on this store's database (PostgreSQL). */
    public SharedTunings sharedTunings() {
        return new JdbcSharedTunings(jdbc);
    }

    /** The LLM facade's usage rows, on this store's database. */
    public UsageStore llmUsage() {
        return new JdbcUsageStore(dataSource);
    }

    @Override
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void createBatch(BatchRecord batch, Iterator<StoredItem> items, IdempotencyRecord idempotency) {
        jdbc.inTransaction(c -> {
            insertBatch(c, batch);
            insertItems(c, batch.id(), items);
            if (idempotency != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO idempotency_keys (idem_key, request_hash, batch_id, status_code, created_at) VALUES (?,?,?,?,?)")) {
                    ps.setString(1, idempotency.key());
                    ps.setString(2, idempotency.requestHash());
                    ps.setString(3, idempotency.batchId());
                    ps.setInt(4, idempotency.statusCode());
                    ps.setLong(5, batch.createdAt());
                    ps.executeUpdate();
                }
            }
        });
    }

    @Override
    public void appendItems(String batchId, List<StoredItem> items) {
        jdbc.inTransaction(c -> {
            insertItems(c, batchId, items.iterator());
            insertKeys(c, batchId, items);
            try (PreparedStatement ps = c.prepareStatement("UPDATE batches SET total = total + ? WHERE id = ?")) {
                ps.setInt(1, items.size());
                ps.setString(2, batchId);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyKey(String key, long notBefore) {
        return jdbc
                .query("SELECT idem_key, request_hash, batch_id, status_code FROM idempotency_keys WHERE idem_key = ? AND created_at >= ?",
                        ps -> {
                            ps.setString(1, key);
                            ps.setLong(2, notBefore);
                        },
                        rs -> new IdempotencyRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
                .stream().findFirst();
    }

    @Override
    public int deleteIdempotencyKeysBefore(long before) {
        return jdbc.update("DELETE FROM idempotency_keys WHERE created_at < ?", ps -> ps.setLong(1, before));
    }

    @Override
    public Optional<BatchRecord> findBatch(String id) {
        return jdbc.query("SELECT * FROM batches WHERE id = ?", ps -> ps.setString(1, id), JdbcJobStore::batch).stream().findFirst();
    }

    @Override
    public List<BatchRecord> listBatches(BatchStatus status, String target, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM batches WHERE 1=1");
        if (status != null) {
            sql.append(" AND status = ?");
        }
        if (target != null) {
            sql.append(" AND target = ?");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        return jdbc.query(sql.toString(), ps -> {
            int i = 1;
            if (status != null) {
                ps.setString(i++, status.wire());
            }
            if (target != null) {
                ps.setString(i++, target);
            }
            ps.setInt(i, limit);
        }, JdbcJobStore::batch);
    }

    @Override
    public void runAs(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public List<Claim> claimUnfinished(Set<String> runningHere) {
        String node = nodeId;
        if (node == null) {
            // a batch a cluster node left behind runs here unfenced, as any other
            jdbc.update("UPDATE batches SET owner_node = NULL, claim_token = NULL WHERE claim_token IS NOT NULL AND " + UNFINISHED,
                    ps -> {
                    });
            return jdbc.query("SELECT * FROM batches b WHERE " + UNFINISHED + " AND " + NOT_FILLING + " ORDER BY created_at",
                    ps -> ps.setString(1, READING), rs -> new Claim(batch(rs), null)).stream()
                    .filter(claim -> !runningHere.contains(claim.batch().id())).toList();
        }
        // one statement: the rows another node is claiming now are skipped, not waited for
        List<Claim> claimed = jdbc.query("WITH unowned AS (SELECT b.id, b.owner_node FROM batches b WHERE b." + UNFINISHED
                + " AND " + NOT_FILLING + " AND (b.owner_node IS NULL OR (b.owner_node = ? AND NOT b.id = ANY (?)) "
                + "OR " + OWNER_GONE + ") "
                + "ORDER BY b.created_at LIMIT 100 FOR UPDATE OF b SKIP LOCKED) "
                + "UPDATE batches t SET owner_node = ?, claim_token = gen_random_uuid()::text FROM unowned WHERE t.id = unowned.id "
                + "RETURNING t.*, unowned.owner_node AS previous_owner", ps -> {
                    ps.setString(1, READING);
                    ps.setString(2, node);
                    ps.setArray(3, ps.getConnection().createArrayOf("varchar", runningHere.toArray()));
                    ps.setString(4, node);
                }, rs -> {
                    claims.put(rs.getString("id"), rs.getString("claim_token"));
                    String previous = rs.getString("previous_owner");
                    return new Claim(batch(rs), node.equals(previous) ? null : previous);
                });
        return claimed.stream().sorted(Comparator.comparingLong(claim -> claim.batch().createdAt())).toList();
    }

    @Override
    public boolean claim(String batchId) {
        String node = nodeId;
        if (node == null || claims.containsKey(batchId)) {
            return true;
        }
        List<String> token = jdbc.query("UPDATE batches b SET owner_node = ?, claim_token = gen_random_uuid()::text WHERE b.id = ? AND b."
                + UNFINISHED + " AND (b.owner_node IS NULL OR b.owner_node = ? OR " + OWNER_GONE + ") RETURNING b.claim_token", ps -> {
                    ps.setString(1, node);
                    ps.setString(2, batchId);
                    ps.setString(3, node);
                }, rs -> rs.getString(1));
        token.forEach(t -> claims.put(batchId, t));
        return !token.isEmpty();
    }

    @Override
    public void release(String batchId) {
        claims.remove(batchId);
    }

    @Override
    public boolean requestCancel(String batchId) {
        return jdbc.update("UPDATE batches SET cancel_requested = TRUE WHERE id = ? AND " + UNFINISHED,
                ps -> ps.setString(1, batchId)) == 1;
    }

    @Override
    public List<String> cancelsRequested() {
        String node = nodeId;
        if (node == null) {
            return List.of();
        }
        return jdbc.query("SELECT id FROM batches WHERE owner_node = ? AND cancel_requested = TRUE AND " + UNFINISHED,
                ps -> ps.setString(1, node), rs -> rs.getString(1));
    }

    /** This node's claim on the batch: what every write for it must match (null on a single node, as stored). */
    private String token(String batchId) {
        return nodeId == null ? null : claims.get(batchId);
    }

    @Override
    public void markStarted(String id, long startedAt) {
        jdbc.update("UPDATE batches SET status = 'running', started_at = COALESCE(started_at, ?) WHERE id = ? AND " + CLAIMED, ps -> {
            ps.setLong(1, startedAt);
            ps.setString(2, id);
            ps.setString(3, token(id));
        });
    }

    @Override
    public void finishBatch(String id, BatchStatus status, String reason, BatchRecord.Counts counts, long finishedAt, ObjectNode extra) {
        jdbc.update("UPDATE batches SET status = ?, reason = ?, succeeded = ?, failed = ?, skipped = ?, cancelled = ?, "
                + "rolled_back = ?, rollback_failed = ?, finished_at = ?, extra = ? WHERE id = ? AND " + CLAIMED, ps -> {
                    ps.setString(1, status.wire());
                    ps.setString(2, reason);
                    ps.setInt(3, counts.succeeded());
                    ps.setInt(4, counts.failed());
                    ps.setInt(5, counts.skipped());
                    ps.setInt(6, counts.cancelled());
                    ps.setInt(7, counts.rolledBack());
                    ps.setInt(8, counts.rollbackFailed());
                    ps.setLong(9, finishedAt);
                    ps.setString(10, extra == null ? null : extra.toString());
                    ps.setString(11, id);
                    ps.setString(12, token(id));
                });
    }

    @Override
    public List<StoredItem> itemsWithStatus(String batchId, List<ItemStatus> statuses, int afterIndex, int limit) {
        String marks = String.join(",", statuses.stream().map(s -> "?").toList());
        ItemRange range = itemRange(batchId);
        return jdbc.query(ITEM_COLUMNS + "WHERE status IN (" + marks + ") AND item_no BETWEEN ? AND ? ORDER BY "
                + indexOrder(statuses.size() == 1) + " LIMIT ?", ps -> {
                    int i = 1;
                    for (ItemStatus s : statuses) {
                        ps.setString(i++, s.wire());
                    }
                    i = range.bindFrom(ps, i, afterIndex + 1);
                    ps.setInt(i, limit);
                }, JdbcJobStore::item);
    }

    @Override
    public void saveResults(List<ResultRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.inTransaction(c -> {
            Map<String, ItemRange> ranges = new HashMap<>();
            // by item number, in order: an item's later result replaces its earlier one, keeping a stage it set
            Map<Long, ResultRow> latest = new LinkedHashMap<>();
            for (ResultRow row : rows) {
                ItemRange range = ranges.get(row.batchId());
                if (range == null) {
                    range = stillClaimed(c, row.batchId()) ? itemRange(c, row.batchId()) : ItemRange.NONE;
                    ranges.put(row.batchId(), range);
                }
                if (range == ItemRange.NONE) {
                    continue; // the batch was deleted (retention) or taken over while its results were queued
                }
                latest.merge(range.number(row.index()), row, (earlier, later) -> later.stage() != null || earlier.stage() == null ? later
                        : new ResultRow(later.batchId(), later.index(), later.status(), later.resultJson(), earlier.stage(),
                                later.finishSeq()));
            }
            if (latest.isEmpty()) {
                return;
            }
            if (postgres) {
                updateResultsAtOnce(c, latest);
            } else {
                updateResults(c, latest);
            }
        });
    }

    private static final String SET_RESULT = "status = ?, result = ?, stage = COALESCE(?, stage), finish_seq = ?";

    /** One statement per row, sent as a JDBC batch (H2 runs in the process: a statement costs no round trip). */
    private static void updateResults(Connection c, Map<Long, ResultRow> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE items SET " + SET_RESULT + " WHERE item_no = ?")) {
            for (Map.Entry<Long, ResultRow> e : rows.entrySet()) {
                ResultRow row = e.getValue();
                ps.setString(1, row.status().wire());
                ps.setString(2, row.resultJson());
                ps.setObject(3, row.stage(), Types.INTEGER);
                ps.setObject(4, row.finishSeq() == 0 ? null : row.finishSeq(), Types.INTEGER);
                ps.setLong(5, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** One statement for all the rows, their values as arrays: PostgreSQL parses, plans and counts it once. */
    private static void updateResultsAtOnce(Connection c, Map<Long, ResultRow> rows) throws SQLException {
        List<ResultRow> values = List.copyOf(rows.values());
        try (PreparedStatement ps = c.prepareStatement("UPDATE items i SET status = u.status, result = u.result, "
                + "stage = COALESCE(u.stage, i.stage), finish_seq = u.finish_seq "
                + "FROM unnest(?::varchar[], ?::text[], ?::int[], ?::int[], ?::bigint[]) AS u(status, result, stage, finish_seq, item_no) "
                + "WHERE i.item_no = u.item_no")) {
            ps.setArray(1, c.createArrayOf("varchar", values.stream().map(row -> row.status().wire()).toArray()));
            ps.setArray(2, c.createArrayOf("text", values.stream().map(ResultRow::resultJson).toArray()));
            ps.setArray(3, c.createArrayOf("int4", values.stream().map(ResultRow::stage).toArray()));
            ps.setArray(4, c.createArrayOf("int4", values.stream().map(row -> row.finishSeq() == 0 ? null : row.finishSeq()).toArray()));
            ps.setArray(5, c.createArrayOf("int8", rows.keySet().toArray()));
            ps.executeUpdate();
        }
    }

    @Override
    public int lastFinishSeq(String batchId) {
        ItemRange range = itemRange(batchId);
        return jdbc.query("SELECT COALESCE(MAX(finish_seq), 0) FROM items WHERE item_no BETWEEN ? AND ?",
                ps -> range.bindFrom(ps, 1, 0), rs -> rs.getInt(1)).get(0);
    }

    @Override
    public List<FinishedItem> finishedBetween(String batchId, int afterSeq, int uptoSeq, int limit) {
        ItemRange range = itemRange(batchId);
        return jdbc.query("SELECT finish_seq, id_json, status FROM items WHERE item_no BETWEEN ? AND ? AND finish_seq > ? "
                + "AND finish_seq <= ? ORDER BY finish_seq LIMIT ?", ps -> {
                    int i = range.bindFrom(ps, 1, 0);
                    ps.setInt(i++, afterSeq);
                    ps.setInt(i++, uptoSeq);
                    ps.setInt(i, limit);
                }, rs -> new FinishedItem(rs.getInt(1), rs.getString(2), ItemStatus.fromWire(rs.getString(3))));
    }

    @Override
    public List<StageCount> countByStatusAndStage(String batchId) {
        ItemRange range = itemRange(batchId);
        return jdbc.query("SELECT status, stage, COUNT(*) FROM items WHERE item_no BETWEEN ? AND ? GROUP BY status, stage",
                ps -> range.bindFrom(ps, 1, 0), rs -> new StageCount(ItemStatus.fromWire(rs.getString(1)), rs.getInt(2), rs.getInt(3)));
    }

    @Override
    public List<StoredItem> itemsAtStage(String batchId, ItemStatus status, int stage, int afterIndex, int limit) {
        ItemRange range = itemRange(batchId);
        return jdbc.query(ITEM_COLUMNS + "WHERE status = ? AND stage = ? AND item_no BETWEEN ? AND ? ORDER BY " + indexOrder(true)
                + " LIMIT ?", ps -> {
                    ps.setString(1, status.wire());
                    ps.setInt(2, stage);
                    ps.setInt(range.bindFrom(ps, 3, afterIndex + 1), limit);
                }, JdbcJobStore::item);
    }

    @Override
    public void enterPhase(String batchId, String phase, String reason, ObjectNode extra) {
        jdbc.update("UPDATE batches SET phase = ?, reason = COALESCE(?, reason), extra = COALESCE(?, extra) WHERE id = ? AND "
                + CLAIMED, ps -> {
                    ps.setString(1, phase);
                    ps.setString(2, reason);
                    ps.setString(3, extra == null ? null : extra.toString());
                    ps.setString(4, batchId);
                    ps.setString(5, token(batchId));
                });
    }

    @Override
    public Optional<String> findPhase(String batchId) {
        return jdbc.query("SELECT phase FROM batches WHERE id = ?", ps -> ps.setString(1, batchId), rs -> rs.getString(1))
                .stream().filter(java.util.Objects::nonNull).findFirst();
    }

    @Override
    public int markRemaining(String batchId, List<ItemStatus> fromStatuses, ItemStatus toStatus) {
        String marks = String.join(",", fromStatuses.stream().map(s -> "?").toList());
        ItemRange range = itemRange(batchId);
        return jdbc.update("UPDATE items SET status = ? WHERE item_no BETWEEN ? AND ? AND status IN (" + marks + ") AND EXISTS "
                + "(SELECT 1 FROM batches WHERE id = ? AND " + CLAIMED + ")", ps -> {
                    ps.setString(1, toStatus.wire());
                    int i = range.bindFrom(ps, 2, 0);
                    for (ItemStatus s : fromStatuses) {
                        ps.setString(i++, s.wire());
                    }
                    ps.setString(i++, batchId);
                    ps.setString(i, token(batchId));
                });
    }

    @Override
    public int countItems(String batchId, ItemStatus status) {
        ItemRange range = itemRange(batchId);
        return jdbc.query("SELECT COUNT(*) FROM items WHERE item_no BETWEEN ? AND ?" + (status == null ? "" : " AND status = ?"), ps -> {
            int i = range.bindFrom(ps, 1, 0);
            if (status != null) {
                ps.setString(i, status.wire());
            }
        }, rs -> rs.getInt(1)).get(0);
    }

    /**
     * Unfiltered, the offset is the first index (an item's index is its place in the batch): H2 reads and
     * drops every row an OFFSET skips (paging through 100,000 results took twice as long).
     */
    @Override
    public List<StoredItem> items(String batchId, ItemStatus status, int offset, int limit) {
        ItemRange range = itemRange(batchId);
        if (status == null) {
            return itemsAfter(range, null, offset - 1, limit);
        }
        return jdbc.query(ITEM_COLUMNS + "WHERE status = ? AND item_no BETWEEN ? AND ? ORDER BY " + indexOrder(true)
                + " LIMIT ? OFFSET ?", ps -> {
                    ps.setString(1, status.wire());
                    int i = range.bindFrom(ps, 2, 0);
                    ps.setInt(i++, limit);
                    ps.setInt(i, offset);
                }, JdbcJobStore::item);
    }

    @Override
    public void forEachItem(String batchId, ItemStatus status, Consumer<StoredItem> consumer) {
        ItemRange range = itemRange(batchId);
        int after = -1;
        List<StoredItem> page;
        do {
            page = itemsAfter(range, status, after, INSERT_CHUNK);
            page.forEach(consumer);
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).index();
            }
        } while (page.size() == INSERT_CHUNK);
    }

    @Override
    public Optional<List<StoredItem>> itemsAfter(String batchId, ItemStatus status, int afterIndex, int limit) {
        ItemRange range = itemRange(batchId);
        List<StoredItem> page = range == ItemRange.NONE ? List.of() : itemsAfter(range, status, afterIndex, limit);
        // a short page ends the list only if the batch outlived its read: a delete may have committed in between
        return page.size() < limit && itemRange(batchId) == ItemRange.NONE ? Optional.empty() : Optional.of(page);
    }

    private List<StoredItem> itemsAfter(ItemRange range, ItemStatus status, int afterIndex, int limit) {
        return jdbc.query(ITEM_COLUMNS + "WHERE " + (status == null ? "" : "status = ? AND ") + "item_no BETWEEN ? AND ? ORDER BY "
                + indexOrder(status != null) + " LIMIT ?", ps -> {
                    int i = 1;
                    if (status != null) {
                        ps.setString(i++, status.wire());
                    }
                    ps.setInt(range.bindFrom(ps, i, afterIndex + 1), limit);
                }, JdbcJobStore::item);
    }

    /**
     * Input order spelled as the index that holds it: filtered by status, with a plain {@code ORDER BY
     * item_no} H2 reads every matching row and sorts them for each page (a million-item batch then pages
     * in quadratic time); naming the constant leading column lets it walk the index and stop after one page.
     */
    private static String indexOrder(boolean oneStatus) {
        return oneStatus ? "status, item_no" : "item_no";
    }

    @Override
    public int deleteFinishedBefore(long before) {
        List<String> ids = jdbc.query("SELECT id FROM batches WHERE finished_at IS NOT NULL AND finished_at < ?",
                ps -> ps.setLong(1, before), rs -> rs.getString(1));
        for (String id : ids) {
            deleteBatch(id);
        }
        return ids.size();
    }

    @Override
    public void deleteBatch(String batchId) {
        jdbc.inTransaction(c -> deleteBatch(c, batchId));
    }

    /** Deletes a batch with its items, item ids and idempotency key, in the caller's transaction. */
    static void deleteBatch(Connection c, String batchId) throws SQLException {
        ItemRange range = itemRange(c, batchId);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM items WHERE item_no BETWEEN ? AND ?")) {
            range.bindFrom(ps, 1, 0);
            ps.executeUpdate();
        }
        for (String sql : List.of("DELETE FROM item_keys WHERE batch_id = ?", "DELETE FROM idempotency_keys WHERE batch_id = ?",
                "DELETE FROM batches WHERE id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, batchId);
                ps.executeUpdate();
            }
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * In a cluster, whether this node's claim on the batch still holds; the row stays share-locked to the
     * end of the transaction, so a node taking the batch over waits for these results and runs on from them.
     */
    private boolean stillClaimed(Connection c, String batchId) throws SQLException {
        if (nodeId == null) {
            return true;
        }
        String mine = claims.get(batchId);
        try (PreparedStatement ps = c.prepareStatement("SELECT claim_token FROM batches WHERE id = ? FOR SHARE")) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && mine != null && mine.equals(rs.getString(1))) {
                    return true;
                }
            }
        }
        LOG.info("batch {} is run by another node now: the results of its run here are not stored", batchId);
        return false;
    }

    private void insertBatch(Connection c, BatchRecord b) throws SQLException {
        String node = nodeId;
        String token = node == null ? null : UUID.randomUUID().toString();
        if (token != null) {
            claims.put(b.id(), token);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO batches (id, target, operation, spec, status, total, "
                + "trigger_name, retry_of, created_at, extra, owner_node, claim_token) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, b.id());
            ps.setString(2, b.target());
            ps.setString(3, b.operation());
            ps.setString(4, b.specJson());
            ps.setString(5, b.status().wire());
            ps.setInt(6, b.total());
            ps.setString(7, b.trigger());
            ps.setString(8, b.retryOf());
            ps.setLong(9, b.createdAt());
            ps.setString(10, b.extra() == null ? null : b.extra().toString());
            ps.setString(11, node);
            ps.setString(12, token);
            ps.executeUpdate();
        }
    }

    private static void insertItems(Connection c, String batchId, Iterator<StoredItem> items) throws SQLException {
        ItemRange range = itemRange(c, batchId);
        if (range == ItemRange.NONE) {
            throw new SQLException("batch " + batchId + " is not in the job store");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (item_no, id_json, params, status) VALUES (?,?,?,?)")) {
            int pending = 0;
            while (items.hasNext()) {
                StoredItem item = items.next();
                ps.setLong(1, range.number(item.index()));
                ps.setString(2, item.idJson());
                if (item.paramsJson() == null) {
                    ps.setNull(3, Types.VARCHAR);
                } else {
                    ps.setString(3, item.paramsJson());
                }
                ps.setString(4, item.status().wire());
                ps.addBatch();
                if (++pending == INSERT_CHUNK) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    private static void insertKeys(Connection c, String batchId, List<StoredItem> items) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item_keys (batch_id, item_key, idx) VALUES (?,?,?)")) {
            for (StoredItem item : items) {
                ps.setString(1, batchId);
                ps.setString(2, keyOf(item.idJson()));
                ps.setInt(3, item.index());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Ids are unique by their text: "7" and 7 are the same id. */
    private static String keyOf(String idJson) {
        return Json.read(idJson).asText();
    }

    private static BatchRecord batch(ResultSet rs) throws SQLException {
        String extra = rs.getString("extra");
        return new BatchRecord(rs.getString("id"), rs.getString("target"), rs.getString("operation"), rs.getString("spec"),
                BatchStatus.fromWire(rs.getString("status")), rs.getString("reason"), rs.getInt("total"),
                new BatchRecord.Counts(rs.getInt("succeeded"), rs.getInt("failed"), rs.getInt("skipped"),
                        rs.getInt("cancelled"), rs.getInt("rolled_back"), rs.getInt("rollback_failed")),
                rs.getString("trigger_name"), rs.getString("retry_of"), rs.getLong("created_at"),
                nullableLong(rs, "started_at"), nullableLong(rs, "finished_at"),
                extra == null ? null : (ObjectNode) Json.read(extra));
    }

    private static StoredItem item(ResultSet rs) throws SQLException {
        return new StoredItem(ItemRange.indexOf(rs.getLong(1)), rs.getString(2), rs.getString(3), ItemStatus.fromWire(rs.getString(4)),
                rs.getString(5));
    }

    private ItemRange itemRange(String batchId) {
        return jdbc.query(BATCH_NUMBER, ps -> ps.setString(1, batchId), rs -> ItemRange.of(rs.getLong(1))).stream()
                .findFirst().orElse(ItemRange.NONE);
    }

    private static ItemRange itemRange(Connection c, String batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BATCH_NUMBER)) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ItemRange.of(rs.getLong(1)) : ItemRange.NONE;
            }
        }
    }

    /**
     * The numbers of a batch's items: an item is {@code items.item_no} = its batch's number × 2^32 + its
     * index (migration V6 says why). An unknown batch has the empty range.
     */
    private record ItemRange(long first, long last) {

        static final ItemRange NONE = new ItemRange(1, 0);

        static ItemRange of(long batchNumber) {
            return new ItemRange(batchNumber << 32, (batchNumber << 32) | 0xFFFF_FFFFL);
        }

        static int indexOf(long itemNumber) {
            return (int) itemNumber;
        }

        long number(int index) {
            return first + index;
        }

        /** Binds "item_no BETWEEN ? AND ?" to the items from {@code fromIndex} on; returns the next parameter. */
        int bindFrom(PreparedStatement ps, int parameter, int fromIndex) throws SQLException {
            ps.setLong(parameter, number(fromIndex));
            ps.setLong(parameter + 1, last);
            return parameter + 2;
        }
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
