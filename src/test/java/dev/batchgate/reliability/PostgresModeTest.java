package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.batchgate.store.JdbcJobStore;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With BATCHGATE_TEST_DB_URL set (the PostgreSQL run of .ci/run) the job store really is PostgreSQL,
 * and every test app has a schema of its own. On the H2 run this test is skipped.
 */
class PostgresModeTest {

    @Test
    void should_store_jobs_in_postgresql_in_a_schema_per_app_when_a_postgresql_url_is_given() throws Exception {
        assumeTrue(TestDatabase.postgres(), "BATCHGATE_TEST_DB_URL is not set: this is the H2 run");
        try (StubServer stub = new StubServer();
                BatchgateTestApp first = new BatchgateTestApp().target("svc", stub.url(), Map.of("operations.process", "POST /i/{id}"))
                        .start();
                BatchgateTestApp second = new BatchgateTestApp().target("svc", stub.url(), Map.of("operations.process", "POST /i/{id}"))
                        .start()) {
            try (Connection c = first.context().getRegistry().lookupByNameAndType("jobStore", JdbcJobStore.class)
                    .dataSource().getConnection()) {
                assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
                assertThat(c.getSchema()).isEqualTo(first.database().schema());
            }
            String id = first.post("/v1/batches", Map.of("target", "svc", "operation", "process", "mode", "sync",
                    "items", List.of("a", "b"))).json().path("id").asText();

            assertThat(first.get("/v1/batches/" + id).json().path("succeeded").asInt()).isEqualTo(2);
            assertThat(second.get("/v1/batches/" + id).status()).isEqualTo(404);
        }
    }
}
