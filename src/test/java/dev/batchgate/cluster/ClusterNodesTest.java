package dev.batchgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which nodes share a job store: a node's own view, the nodes of a cluster, and a node that dies. */
class ClusterNodesTest {

    @TempDir
    Path workDir;

    @Test
    void should_refuse_to_start_and_name_postgresql_when_cluster_mode_is_asked_of_an_h2_store() {
        BatchgateTestApp app = new BatchgateTestApp().with("batchgate.cluster.enabled", "true")
                .with("batchgate.db.url", "jdbc:h2:mem:cluster-" + UUID.randomUUID());
        try {
            assertThatThrownBy(app::start).hasStackTraceContaining("batchgate.cluster.enabled=true needs a PostgreSQL job store");
        } finally {
            app.close();
        }
    }

    @Test
    void should_list_only_itself_when_the_node_is_not_in_a_cluster() {
        try (BatchgateTestApp app = new BatchgateTestApp().with("batchgate.cluster.enabled", "false")
                .with("batchgate.cluster.node-id", "solo").start()) {
            JsonNode cluster = app.get("/v1/cluster").json();

            assertThat(cluster.path("clustered").asBoolean()).isFalse();
            assertThat(cluster.path("nodes")).hasSize(1);
            assertThat(cluster.path("nodes").get(0).path("id").asText()).isEqualTo("solo");
            assertThat(cluster.path("nodes").get(0).path("self").asBoolean()).isTrue();
        }
    }

    @Test
    void should_list_every_live_node_and_drop_a_killed_one_when_nodes_share_a_postgresql_store() throws Exception {
        assumeTrue(TestDatabase.postgres(), "cluster mode needs PostgreSQL: BATCHGATE_TEST_DB_URL is not set");
        try (TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess first = node(db, "node-a").start();
                BatchgateProcess second = node(db, "node-b").start()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ids(first)).containsExactly("node-a", "node-b"));
            JsonNode seenBySecond = second.get("/v1/cluster").json();
            assertThat(seenBySecond.path("clustered").asBoolean()).isTrue();
            assertThat(seenBySecond.path("nodes").findValuesAsText("self")).containsExactly("false", "true");
            assertThat(seenBySecond.path("nodes").get(0).path("address").asText()).isEqualTo(first.url(""));
            assertThat(second.get("/observe/metrics").text()).contains("node=\"node-b\"").doesNotContain("node=\"node-a\"");

            second.kill();

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(ids(first)).containsExactly("node-a"));
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(first.log()).contains("cluster node node-b not seen for PT2S: removed by node node-a"));
        }
    }

    @Test
    void should_leave_the_cluster_at_once_when_a_node_shuts_down_cleanly() throws Exception {
        assumeTrue(TestDatabase.postgres(), "cluster mode needs PostgreSQL: BATCHGATE_TEST_DB_URL is not set");
        try (TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess first = node(db, "node-a").with("batchgate.cluster.dead-after", "60s").start();
                BatchgateProcess second = node(db, "node-b").with("batchgate.cluster.dead-after", "60s").start()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ids(first)).containsExactly("node-a", "node-b"));

            second.terminate();
            second.waitForExit(Duration.ofSeconds(30));

            assertThat(ids(first)).containsExactly("node-a");
        }
    }

    /** A node in a directory of its own (its log), on the shared database. */
    private BatchgateProcess node(TestDatabase db, String id) throws Exception {
        return BatchgateProcess.clusterNode(workDir, db, id);
    }

    private static List<String> ids(BatchgateProcess node) {
        return node.get("/v1/cluster").json().path("nodes").findValuesAsText("id");
    }
}
