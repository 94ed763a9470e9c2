package dev.batchgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.ServerSentEvents;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches that outlive their node: nodes of one cluster (child JVMs of the jar) on a real PostgreSQL,
 * against a stub downstream that records every call with its Idempotency-Key. A batch is run by the
 * node that claimed it; a node killed or frozen past {@code dead-after} loses its batches to another.
 * The calls made twice are at most what the lost node had between hand-out and a committed result:
 * its in-flight bound (the target's concurrency) and its unwritten results.
 */
class ClusterFailoverTest {

    private static final int CONCURRENCY = 8;
    private static final Map<String, String> TARGET = Map.of("operations.process", "POST /items/{id}", "concurrency",
            Integer.toString(CONCURRENCY), "retries", "0");
    private static final String OF_BATCH = "item_no / 4294967296 = (SELECT num FROM batches WHERE id = ?)";

    @TempDir
    Path workDir;

    @BeforeEach
    void needsPostgres() {
        assumeTrue(TestDatabase.postgres(), "cluster mode needs PostgreSQL: BATCHGATE_TEST_DB_URL is not set");
    }

    @Test
    void should_finish_every_item_on_another_node_when_the_node_running_the_batch_is_killed() throws Exception {
        int items = 3000;
        try (StubServer stub = new StubServer().respond(r -> StubServer.Reply.ok().after(Duration.ofMillis(10)));
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess a = node(db, "node-a", stub).start();
                BatchgateProcess b = node(db, "node-b", stub).start();
                BatchgateProcess c = node(db, "node-c", stub).start()) {
            String batchId = create(a, items);
            await().atMost(Duration.ofSeconds(120)).until(() -> stub.requests().size() >= items / 3);

            a.kill();

            JsonNode summary = b.awaitFinished(batchId, Duration.ofMinutes(3));
            assertThat(summary.path("status").asText()).isEqualTo("completed");
            assertThat(summary.path("succeeded").asInt()).isEqualTo(items);
            assertThat(c.get("/v1/batches/" + batchId).json().path("succeeded").asInt()).isEqualTo(items);
            assertThat(List.of(b.log(), c.log())).as("exactly one node takes the batch over")
                    .filteredOn(log -> log.contains("took over the batches of node node-a")).hasSize(1);
            assertCalledOnceEachBut(stub, batchId, items, CONCURRENCY + ResultWriter.DEFAULT_MAX_UNWRITTEN);
            assertThat(finalStatuses(db, batchId)).isEqualTo(Map.of("succeeded", items));
        }
    }

    @Test
    void should_count_follow_retune_and_cancel_a_batch_from_a_node_that_does_not_run_it() throws Exception {
        try (StubServer stub = new StubServer().respond(r -> StubServer.Reply.ok().after(Duration.ofMillis(50)));
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess a = node(db, "node-a", stub).start();
                BatchgateProcess b = node(db, "node-b", stub).start()) {
            String batchId = create(a, 2000);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode seenByB = b.get("/v1/batches/" + batchId).json();
                assertThat(seenByB.path("status").asText()).isEqualTo("running");
                assertThat(seenByB.path("succeeded").asInt()).isPositive();
            });
            CompletableFuture<List<ServerSentEvents.Event>> followedOnB = CompletableFuture.supplyAsync(() -> events(b, batchId));

            var patch = b.patch("/v1/targets/svc", Map.of("concurrency", 3));
            assertThat(patch.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(a.get("/v1/targets/svc").json().path("concurrency").asInt()).isEqualTo(3));
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(a.get("/v1/targets/svc").json().path("live").path("inFlight").asInt())
                            .isLessThanOrEqualTo(3));

            var cancel = b.post("/v1/batches/" + batchId + "/cancel", Map.of());

            assertThat(cancel.status()).isLessThan(300);
            JsonNode summary = b.awaitFinished(batchId, Duration.ofSeconds(30));
            assertThat(summary.path("status").asText()).isEqualTo("cancelled");
            assertThat(summary.path("cancelled").asInt()).isPositive();
            assertThat(a.log()).contains("batch " + batchId + " cancelled on another node");
            List<ServerSentEvents.Event> events = followedOnB.get(30, TimeUnit.SECONDS);
            assertThat(events.get(0).name()).isEqualTo("snapshot");
            assertThat(events).filteredOn(event -> event.name().equals("progress")).isNotEmpty();
            assertThat(events).extracting(ServerSentEvents.Event::id).isSorted();
            ServerSentEvents.Event done = events.get(events.size() - 1);
            assertThat(done.name()).isEqualTo("done");
            assertThat(done.data().path("status").asText()).isEqualTo("cancelled");
            assertThat(done.data().path("succeeded").asInt()).isEqualTo(summary.path("succeeded").asInt());
        }
    }

    /** The batch's Server-Sent Events as the node streams them, until the stream ends. */
    private static List<ServerSentEvents.Event> events(BatchgateProcess node, String batchId) {
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(node.url("/v1/batches/" + batchId + "/events"))).timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            List<ServerSentEvents.Event> events = new ArrayList<>();
            ServerSentEvents.read(response.body(), events::add);
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_keep_one_result_per_item_when_a_frozen_node_wakes_after_its_batch_was_taken_over() throws Exception {
        int items = 3000;
        try (StubServer stub = new StubServer().respond(r -> StubServer.Reply.ok().after(Duration.ofMillis(10)));
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess a = node(db, "node-a", stub).start();
                BatchgateProcess b = node(db, "node-b", stub).start()) {
            String batchId = create(a, items);
            await().atMost(Duration.ofSeconds(120)).until(() -> stub.requests().size() >= items / 3);

            signal(a, "STOP");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> b.log().contains("took over the batches of node node-a"));
            } finally {
                signal(a, "CONT");
            }

            JsonNode summary = b.awaitFinished(batchId, Duration.ofMinutes(3));
            assertThat(summary.path("status").asText()).isEqualTo("completed");
            assertThat(summary.path("succeeded").asInt()).isEqualTo(items);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.log().contains("cluster node node-a was taken for dead"));
            assertCalledOnceEachBut(stub, batchId, items, CONCURRENCY + ResultWriter.DEFAULT_MAX_UNWRITTEN);
            assertThat(finalStatuses(db, batchId)).isEqualTo(Map.of("succeeded", items));
            assertThat(a.get("/v1/batches/" + batchId).json().path("status").asText()).isEqualTo("completed");
        }
    }

    /** Every item called, each at most twice, and no more than {@code twiceAtMost} of them twice, under one key each. */
    private static void assertCalledOnceEachBut(StubServer stub, String batchId, int items, int twiceAtMost) {
        Map<String, Long> callsPerKey = stub.requests().stream()
                .collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"), Collectors.counting()));
        assertThat(callsPerKey).hasSize(items);
        assertThat(callsPerKey.keySet()).allMatch(key -> key.startsWith(batchId + ":"));
        assertThat(callsPerKey.values()).allMatch(n -> n <= 2);
        long twice = callsPerKey.values().stream().filter(n -> n == 2).count();
        assertThat(twice).isLessThanOrEqualTo(twiceAtMost);
        System.out.printf("cluster failover: %d items, %d called twice (bound %d)%n", items, twice, twiceAtMost);
    }

    /** How many items of the batch hold a stored result, by status. */
    private static Map<String, Integer> finalStatuses(TestDatabase db, String batchId) throws Exception {
        Map<String, Integer> byStatus = new HashMap<>();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT status, COUNT(*) FROM items WHERE " + OF_BATCH + " AND result IS NOT NULL GROUP BY status")) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byStatus.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return byStatus;
    }

    private static String create(BatchgateProcess node, int items) {
        var accepted = node.post("/v1/batches", Map.of("target", "svc", "operation", "process", "items",
                IntStream.range(0, items).mapToObj(i -> "item-" + i).toList()));
        assertThat(accepted.status()).isEqualTo(202);
        return accepted.json().path("id").asText();
    }

    private static void signal(BatchgateProcess node, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).start().waitFor()).isZero();
    }

    /** A node on the shared database, with the stub as target svc. */
    private BatchgateProcess node(TestDatabase db, String id, StubServer stub) throws Exception {
        return BatchgateProcess.clusterNode(workDir, db, id).target("svc", stub.url(), TARGET);
    }
}
