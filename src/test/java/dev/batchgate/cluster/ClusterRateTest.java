package dev.batchgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target's rpm and concurrency held for the whole cluster: two nodes (child JVMs of the jar) on a real
 * PostgreSQL each run a batch on the same target at once, and the stub downstream records when each call
 * arrived and how many it answered at once.
 */
class ClusterRateTest {

    private static final int RPM = 300;
    private static final long INTERVAL_MS = 60_000 / RPM;
    /** Per batch: both together take about 70 s at the rpm, so that 60 s windows can be checked. */
    private static final int ITEMS = 175;
    private static final int COLD_STARTS = 10;

    @TempDir
    Path workDir;

    @Test
    void should_start_no_more_than_rpm_calls_in_any_minute_evenly_spaced_when_two_nodes_share_a_target() throws Exception {
        assumeTrue(TestDatabase.postgres(), "cluster mode needs PostgreSQL: BATCHGATE_TEST_DB_URL is not set");
        try (StubServer stub = new StubServer();
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess a = node(db, "node-a", stub).start();
                BatchgateProcess b = node(db, "node-b", stub).start()) {
            String first = create(a, "a");
            String second = create(b, "b");

            assertThat(a.awaitFinished(first, Duration.ofMinutes(3)).path("succeeded").asInt()).isEqualTo(ITEMS);
            assertThat(b.awaitFinished(second, Duration.ofMinutes(3)).path("succeeded").asInt()).isEqualTo(ITEMS);

            List<Long> starts = stub.requests().stream().map(StubServer.Recorded::atMillis).sorted().toList();
            assertThat(starts).hasSize(2 * ITEMS);
            for (int i = 0; i + RPM < starts.size(); i++) {
                assertThat(starts.get(i + RPM) - starts.get(i)).as("%d starts from the %dth", RPM + 1, i).isGreaterThan(60_000);
            }
            // the gaps after each node's first calls: a cold JVM's first call (connection, code not compiled yet) arrives late
            List<Long> gaps = IntStream.range(COLD_STARTS, starts.size()).mapToObj(i -> starts.get(i) - starts.get(i - 1)).sorted()
                    .toList();
            long median = gaps.get(gaps.size() / 2);
            double achievedRpm = (starts.size() - 1) * 60_000.0 / (starts.get(starts.size() - 1) - starts.get(0));
            System.out.printf("cluster rate: %d starts from two nodes at rpm %d: %.1f rpm (%.3f x), gaps min %d ms median %d ms"
                    + " max %d ms (interval %d ms), %s%n", starts.size(), RPM, achievedRpm, achievedRpm / RPM, gaps.get(0), median,
                    gaps.get(gaps.size() - 1), INTERVAL_MS, gaps.subList(0, 10));
            assertThat(achievedRpm).isGreaterThanOrEqualTo(0.95 * RPM);
            // arrival times at the stub carry each node's scheduling and network jitter on a shared machine
            assertThat(gaps.get(0)).as("no burst: the closest two starts").isGreaterThanOrEqualTo(INTERVAL_MS / 4);
            assertThat(gaps.stream().filter(gap -> gap >= INTERVAL_MS * 3 / 4 && gap <= INTERVAL_MS * 5 / 4).count())
                    .as("gaps within a quarter of the interval").isGreaterThanOrEqualTo(gaps.size() * 9L / 10);
            assertThat(median).isBetween(INTERVAL_MS * 9 / 10, INTERVAL_MS * 11 / 10);
            assertInterleaved(stub, first, second);
        }
    }

    @Test
    void should_have_no_more_than_concurrency_calls_in_flight_across_nodes_when_two_nodes_share_a_target() throws Exception {
        assumeTrue(TestDatabase.postgres(), "cluster mode needs PostgreSQL: BATCHGATE_TEST_DB_URL is not set");
        int concurrency = 4;
        // per node: both together take about ten seconds, so that the nodes share the slots for most of it
        int items = 200;
        try (StubServer stub = new StubServer().respond(r -> StubServer.Reply.ok().after(Duration.ofMillis(100)));
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess a = concurrencyNode(db, "node-a", stub, concurrency).start();
                BatchgateProcess b = concurrencyNode(db, "node-b", stub, concurrency).start()) {
            String first = create(a, "a", items);
            String second = create(b, "b", items);

            assertThat(a.awaitFinished(first, Duration.ofMinutes(2)).path("succeeded").asInt()).isEqualTo(items);
            assertThat(b.awaitFinished(second, Duration.ofMinutes(2)).path("succeeded").asInt()).isEqualTo(items);

            System.out.printf("cluster concurrency: %d calls from two nodes at concurrency %d: at most %d at once%n",
                    stub.requests().size(), concurrency, stub.maxInFlight());
            assertThat(stub.requests()).hasSize(2 * items);
            assertThat(stub.maxInFlight()).as("calls in flight at once, both nodes together").isBetween(2, concurrency);
            assertInterleaved(stub, first, second);
        }
    }

    /** Both batches ran all along: each one's calls span most of the other's. */
    private static void assertInterleaved(StubServer stub, String first, String second) {
        List<StubServer.Recorded> calls = stub.requests();
        long firstEnd = calls.stream().filter(r -> r.header("Idempotency-Key").startsWith(first)).mapToLong(StubServer.Recorded::atMillis)
                .max().orElseThrow();
        long secondEnd = calls.stream().filter(r -> r.header("Idempotency-Key").startsWith(second))
                .mapToLong(StubServer.Recorded::atMillis).max().orElseThrow();
        long start = calls.stream().mapToLong(StubServer.Recorded::atMillis).min().orElseThrow();
        assertThat(Math.min(firstEnd, secondEnd) - start).isGreaterThan((Math.max(firstEnd, secondEnd) - start) * 3 / 4);
    }

    private static String create(BatchgateProcess node, String prefix) {
        return create(node, prefix, ITEMS);
    }

    private static String create(BatchgateProcess node, String prefix, int items) {
        var accepted = node.post("/v1/batches", Map.of("target", "svc", "operation", "process", "items",
                IntStream.range(0, items).mapToObj(i -> prefix + "-" + i).toList()));
        assertThat(accepted.status()).isEqualTo(202);
        return accepted.json().path("id").asText();
    }

    private BatchgateProcess node(TestDatabase db, String id, StubServer stub) throws Exception {
        return BatchgateProcess.clusterNode(workDir, db, id).target("svc", stub.url(),
                Map.of("operations.process", "POST /items/{id}", "rpm", Integer.toString(RPM),
                        "concurrency", "4"));
    }

    private BatchgateProcess concurrencyNode(TestDatabase db, String id, StubServer stub, int concurrency) throws Exception {
        return BatchgateProcess.clusterNode(workDir, db, id).target("svc", stub.url(),
                Map.of("operations.process", "POST /items/{id}", "concurrency", Integer.toString(concurrency), "retries", "0"));
    }
}
