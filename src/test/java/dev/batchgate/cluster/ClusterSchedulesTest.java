package dev.batchgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule every 2 s for a minute on three nodes of one cluster (child JVMs of the jar on a real
 * PostgreSQL), the node that fires it killed half-way: each firing starts one batch, on whichever node
 * claimed it, and no firing is missed but the one the killed node may have claimed as it died.
 */
class ClusterSchedulesTest {

    private static final long EVERY_MS = 2000;
    private static final String FIRED = "schedule tick fired";
    /** Half a minute of firings before the kill, and as many after it. */
    private static final int FIRINGS_EACH_HALF = 15;

    @TempDir
    Path workDir;

    @Test
    void should_fire_once_per_firing_across_the_cluster_when_every_node_has_the_schedule() throws Exception {
        assumeTrue(TestDatabase.postgres(), "cluster mode needs PostgreSQL: BATCHGATE_TEST_DB_URL is not set");
        try (StubServer stub = new StubServer();
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess a = node(db, "node-a", stub).start();
                BatchgateProcess b = node(db, "node-b", stub).start();
                BatchgateProcess c = node(db, "node-c", stub).start()) {
            List<BatchgateProcess> nodes = List.of(a, b, c);
            await().atMost(Duration.ofSeconds(60)).until(() -> batches(a).size() >= FIRINGS_EACH_HALF);
            BatchgateProcess firing = nodes.stream().filter(node -> node.log().contains(FIRED)).findFirst().orElseThrow();
            firing.kill();
            BatchgateProcess survivor = nodes.stream().filter(node -> node != firing).findFirst().orElseThrow();
            int beforeKill = batches(survivor).size();
            await().atMost(Duration.ofSeconds(60)).until(() -> batches(survivor).size() >= beforeKill + FIRINGS_EACH_HALF);
            await().atMost(Duration.ofSeconds(30)).until(() -> batches(survivor).stream()
                    .allMatch(batch -> batch.path("status").asText().equals("completed")));

            List<JsonNode> started = batches(survivor);
            List<Long> firings = started.stream().map(batch -> firing(batch.path("createdAt").asText())).sorted().toList();
            System.out.printf("cluster schedules: %d batches from %d firings on three nodes, one killed%n", started.size(),
                    firings.stream().distinct().count());
            assertThat(firings).as("one batch per firing").doesNotHaveDuplicates();
            // the firings a minute holds, less the one the killed node may have claimed as it died
            assertThat(firings.get(firings.size() - 1) - firings.get(0) + 1).isLessThanOrEqualTo(firings.size() + 1L);
            assertThat(stub.requests()).hasSize(2 * started.size());
            assertThat(nodes).as("the firings went on on another node").filteredOn(node -> node != firing)
                    .anyMatch(node -> node.log().contains(FIRED));
        }
    }

    /** The firing a batch was created for: its creation time to the nearest multiple of the interval. */
    private static long firing(String createdAt) {
        return Math.round((double) Instant.parse(createdAt).toEpochMilli() / EVERY_MS);
    }

    private static List<JsonNode> batches(BatchgateProcess node) {
        JsonNode list = node.get("/v1/batches?limit=1000").json().path("batches");
        return new ArrayList<>(StreamSupport.stream(list.spliterator(), false)
                .filter(batch -> batch.path("trigger").asText().equals("schedule:tick")).toList());
    }

    private BatchgateProcess node(TestDatabase db, String id, StubServer stub) throws Exception {
        return BatchgateProcess.clusterNode(workDir, db, id).with("batchgate.schedules.tick.every", "2s")
                .with("batchgate.schedules.tick.target", "svc")
                .with("batchgate.schedules.tick.operation", "process").with("batchgate.schedules.tick.items", "t-1, t-2")
                .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}"));
    }
}
