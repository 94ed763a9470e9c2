package dev.batchgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes of one cluster (child JVMs of the jar on a real PostgreSQL) share one inbox: ten files
 * dropped at once become exactly ten batches, and once the node reading the inbox is killed another
 * takes over and ten more files become ten more batches.
 */
class ClusterFileDropTest {

    private static final String LEASE_TAKEN = "holds the inbox lease";
    private static final int FILES = 10;
    private static final int ITEMS = 5;

    @TempDir
    Path workDir;

    @Test
    void should_take_each_file_on_one_node_when_the_nodes_share_the_inbox() throws Exception {
        assumeTrue(TestDatabase.postgres(), "cluster mode needs PostgreSQL: BATCHGATE_TEST_DB_URL is not set");
        try (StubServer stub = new StubServer();
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess a = node(db, "node-a", stub).start();
                BatchgateProcess b = node(db, "node-b", stub).start();
                BatchgateProcess c = node(db, "node-c", stub).start()) {
            List<BatchgateProcess> nodes = List.of(a, b, c);
            await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().anyMatch(node -> node.log().contains(LEASE_TAKEN)));

            drop("first");
            await().atMost(Duration.ofSeconds(60)).until(() -> summaries() == FILES);
            BatchgateProcess reader = nodes.stream().filter(node -> node.log().contains(LEASE_TAKEN)).findFirst().orElseThrow();
            assertThat(nodes).as("one node reads the inbox").filteredOn(node -> node.log().contains(LEASE_TAKEN)).hasSize(1);
            BatchgateProcess survivor = nodes.stream().filter(node -> node != reader).findFirst().orElseThrow();
            assertThat(fileBatches(survivor)).hasSize(FILES);

            reader.kill();
            drop("second");
            await().atMost(Duration.ofSeconds(60)).until(() -> summaries() == 2 * FILES);
            List<JsonNode> batches = fileBatches(survivor);
            System.out.printf("cluster file drops: %d files, %d batches, %d calls on three nodes, the inbox reader killed%n",
                    2 * FILES, batches.size(), stub.requests().size());
            assertThat(batches).hasSize(2 * FILES);
            assertThat(batches).extracting(batch -> batch.path("trigger").asText()).doesNotHaveDuplicates();
            assertThat(batches).allMatch(batch -> batch.path("status").asText().equals("completed"));
            assertThat(stub.requests()).hasSize(2 * FILES * ITEMS);
            assertThat(nodes).as("another node took the inbox over").filteredOn(node -> node != reader)
                    .anyMatch(node -> node.log().contains(LEASE_TAKEN));
            assertThat(files(workDir.resolve("inbox/.done"), ".txt")).hasSize(2 * FILES);
            assertThat(Files.exists(workDir.resolve("inbox/.failed"))).isFalse();
        }
    }

    /** Ten item lists at once, each written aside and renamed into the inbox. */
    private void drop(String round) throws IOException {
        Path folder = Files.createDirectories(workDir.resolve("inbox/svc/process"));
        for (int f = 0; f < FILES; f++) {
            StringBuilder ids = new StringBuilder();
            for (int i = 0; i < ITEMS; i++) {
                ids.append(round).append('-').append(f).append('-').append(i).append('\n');
            }
            Path part = folder.resolve(round + "-" + f + ".txt.part");
            Files.writeString(part, ids);
            Files.move(part, folder.resolve(round + "-" + f + ".txt"));
        }
    }

    /** The summaries in the outbox, listed by name only: a file being written there is renamed meanwhile. */
    private long summaries() throws IOException {
        Path outbox = workDir.resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(outbox)) {
            return list.filter(path -> path.getFileName().toString().endsWith(".summary.json")).count();
        }
    }

    private static List<Path> files(Path folder, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(path -> path.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    private static List<JsonNode> fileBatches(BatchgateProcess node) {
        JsonNode list = node.get("/v1/batches?limit=1000").json().path("batches");
        return StreamSupport.stream(list.spliterator(), false).filter(batch -> batch.path("trigger").asText().startsWith("file:"))
                .toList();
    }

    private BatchgateProcess node(TestDatabase db, String id, StubServer stub) throws Exception {
        return BatchgateProcess.clusterNode(workDir, db, id).with("batchgate.inbox.enabled", "true")
                .with("batchgate.inbox", workDir.resolve("inbox").toString()).with("batchgate.outbox", workDir.resolve("outbox").toString())
                .with("batchgate.inbox.stable-for", "200ms").with("batchgate.inbox.poll-interval", "100ms")
                .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}"));
    }
}
