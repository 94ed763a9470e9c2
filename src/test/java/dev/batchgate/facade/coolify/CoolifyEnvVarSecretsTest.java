package dev.batchgate.facade.coolify;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchItem;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.json.Json;
import dev.batchgate.store.JdbcJobStore;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Env var values are secrets: they reach Coolify, and nothing else. */
class CoolifyEnvVarSecretsTest {

    private static final String API_KEY = "sk-live-7f3a9c1e5b";
    private static final String DATABASE_URL = "postgres://admin:hunter2-9d8c@db/prod";
    private static final List<String> LOUD_LOGGERS = List.of("dev.batchgate", "org.apache.camel", "io.vertx");

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Map<String, Level> levelsBefore = new java.util.HashMap<>();
    private CoolifyStub coolify;

    @BeforeEach
    void captureEveryLogLine() {
        coolify = new CoolifyStub();
        logs.start();
        root().addAppender(logs);
        for (String name : LOUD_LOGGERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levelsBefore.put(name, logger.getLevel());
            logger.setLevel(Level.TRACE);
        }
    }

    @AfterEach
    void restoreLogging() {
        root().detachAppender(logs);
        levelsBefore.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
        coolify.close();
    }

    @Test
    void should_keep_env_var_values_out_of_results_logs_and_the_job_store_when_variables_are_set() throws Exception {
        try (BatchgateTestApp app = app().start()) {
            Map<String, Object> arguments = Map.of("application_uuids",
                    List.of("app-1", "app-envs-refused", "app-restart-refused", "app-missing"),
                    "env_vars", Map.of("API_KEY", API_KEY, "DATABASE_URL", DATABASE_URL), "restart_after_update", true);

            BatchgateTestApp.Response overMcp = app.post("/mcp", Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/call",
                    "params", Map.of("name", "batch_update_env_vars", "arguments", arguments)));
            BatchgateTestApp.Response overRest = app.post("/v1/coolify/batch_update_env_vars", arguments);
            String batchId = overRest.json().get("batch_id").asText();
            BatchgateTestApp.Response retried = app.post("/v1/coolify/retry_failed",
                    Map.of("batch_id", batchId, "env_vars", Map.of("API_KEY", API_KEY, "DATABASE_URL", DATABASE_URL)));

            assertThat(coolify.calls("PATCH", "/api/v1/applications/app-1/envs/bulk").get(0).body()).contains(API_KEY, DATABASE_URL);
            assertThat(overMcp.json().at("/result/isError").asBoolean(true)).isFalse();
            assertThat(overRest.json().get("env_vars"))
                    .isEqualTo(dev.batchgate.json.Json.read("{\"API_KEY\":\"***\",\"DATABASE_URL\":\"***\"}"));
            assertThat(overRest.json().at("/results/1/error").asText()).contains("***");
            assertThat(retried.status()).isEqualTo(200);
            List<String> answers = List.of(overMcp.text(), overRest.text(), retried.text(),
                    app.get("/v1/batches/" + batchId).text(), app.get("/v1/batches/" + batchId + "/results").text(),
                    app.get("/v1/batches?limit=100").text(), app.get("/v1/targets").text());
            assertThat(answers).allSatisfy(answer -> assertThat(answer).doesNotContain(API_KEY, DATABASE_URL));
            assertThat(everyValueInTheJobStore(app)).isNotEmpty()
                    .allSatisfy(value -> assertThat(value).doesNotContain(API_KEY, DATABASE_URL));
        }
        assertThat(logs.list).isNotEmpty().allSatisfy(event -> assertThat(event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())))
                .doesNotContain(API_KEY, DATABASE_URL));
    }

    @Test
    void should_fail_the_items_clearly_without_calling_coolify_when_a_restart_lost_the_values() {
        try (TestDatabase database = TestDatabase.fresh()) {
            String batchId;
            try (BatchgateTestApp before = app(database).start()) {
                batchId = storeUnstartedEnvBatch(before, List.of("app-1", "app-2"));
            }
            try (BatchgateTestApp after = app(database).start()) {
                after.awaitFinished(batchId);
                JsonNode document = after.post("/v1/coolify/get_batch", Map.of("batch_id", batchId)).json();

                assertThat(document.get("failed").asInt()).isEqualTo(2);
                assertThat(document.at("/results/0/error").asText()).startsWith("the env var values are gone")
                        .contains("call batch_update_env_vars again");
                assertThat(document.at("/results/0/vars_updated").asInt()).isZero();
                assertThat(coolify.calls("PATCH", "/api/v1/applications/")).isEmpty();
            }
        }
    }

    /** A batch as batch_update_env_vars stores it (names and a reference, never values), left pending as a crash would. */
    private static String storeUnstartedEnvBatch(BatchgateTestApp app, List<String> uuids) {
        BatchEngine engine = app.context().getRegistry().lookupByNameAndType("batchEngine", BatchEngine.class);
        ObjectNode params = Json.object();
        params.putArray(CoolifySteps.ENV_VAR_NAMES).add("API_KEY");
        params.put(CoolifySteps.ENV_VALUES_REF, UUID.randomUUID().toString());
        params.put(CoolifySteps.RESTART_AFTER_UPDATE, false);
        BatchSpec spec = BatchSpec.builder("coolify", CoolifyTool.UPDATE_ENV_VARS.toolName()).params(params).trigger("mcp").build();
        List<BatchItem> items = new ArrayList<>();
        uuids.forEach(uuid -> items.add(new BatchItem(items.size(), Json.MAPPER.getNodeFactory().textNode(uuid), null)));
        Iterator<BatchItem> iterator = items.iterator();
        return engine.submit(spec, iterator, items.size(), null, false).id();
    }

    private BatchgateTestApp app() {
        return app(null);
    }

    /** An app on {@code database}, so that a second app is a restart on the same store (null: a fresh store). */
    private BatchgateTestApp app(TestDatabase database) {
        return new BatchgateTestApp(database)
                .with("batchgate.targets.coolify.url", coolify.url())
                .with("batchgate.targets.coolify.headers.Authorization", "Bearer " + CoolifyStub.TOKEN)
                .with("batchgate.targets.coolify.rpm", "6000")
                .with("batchgate.coolify.poll-interval", "20ms");
    }

    private static List<String> everyValueInTheJobStore(BatchgateTestApp app) throws SQLException {
        DataSource store = app.context().getRegistry().lookupByNameAndType("jobStore", JdbcJobStore.class).dataSource();
        List<String> values = new ArrayList<>();
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_SCHEMA) = UPPER(CURRENT_SCHEMA)"
                            + " AND TABLE_TYPE = 'BASE TABLE'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int column = 1; column <= columns; column++) {
                            values.add(String.valueOf(rows.getObject(column)));
                        }
                    }
                }
            }
        }
        return values;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
