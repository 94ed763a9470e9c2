package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of a 2,000-item batch (the jar in a child JVM), then a restart on the same
 * job store.
 *
 * <p>"In flight at the crash" means: the item's call reached the downstream before the kill, and
 * its result was not yet committed to the job store. Those items, and only those, are sent again
 * (with the same Idempotency-Key). Per batch there are at most {@code effectiveConcurrency} items
 * between hand-out and result (the in-flight bound), plus at most
 * {@code batchgate.store.max-unwritten-results} results queued but not committed (the writer's
 * window), so at most concurrency + window duplicates.
 */
class CrashRecoveryTest {

    private static final int ITEMS = 2000;
    private static final int CONCURRENCY = 8;
    /** The items of one batch (an item is numbered batch number × 2^32 + index). */
    private static final String OF_BATCH = "item_no / 4294967296 = (SELECT num FROM batches WHERE id = ?)";

    @TempDir
    Path workDir;

    @Test
    void should_resume_and_resend_only_the_items_in_flight_when_killed_mid_batch() throws Exception {
        try (StubServer stub = new StubServer().respond(r -> StubServer.Reply.ok().after(Duration.ofMillis(10)));
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")))) {
            Map<String, String> target = Map.of("operations.process", "POST /items/{id}",
                    "concurrency", Integer.toString(CONCURRENCY), "retries", "0");
            String batchId;
            try (BatchgateProcess first = new BatchgateProcess(workDir, db).target("svc", stub.url(), target).start()) {
                var accepted = first.post("/v1/batches", Map.of("target", "svc", "operation", "process",
                        "items", IntStream.range(0, ITEMS).mapToObj(i -> "item-" + i).toList()));
                assertThat(accepted.status()).isEqualTo(202);
                batchId = accepted.json().path("id").asText();
                await().atMost(Duration.ofSeconds(120)).until(() -> stub.requests().size() >= ITEMS / 3);
                first.kill();
            }
            awaitQuiet(stub);
            Set<String> calledBeforeKill = keys(stub.requests());
            Set<String> committedAtKill = committedKeys(db, batchId);
            Set<String> inFlightAtKill = new HashSet<>(calledBeforeKill);
            inFlightAtKill.removeAll(committedAtKill);
            assertThat(calledBeforeKill).containsAll(committedAtKill);
            assertThat(calledBeforeKill.size()).isLessThan(ITEMS);
            assertThat(inFlightAtKill.size()).isLessThanOrEqualTo(CONCURRENCY + ResultWriter.DEFAULT_MAX_UNWRITTEN);

            try (BatchgateProcess second = new BatchgateProcess(workDir, db).target("svc", stub.url(), target).start()) {
                JsonNode summary = second.awaitFinished(batchId, Duration.ofMinutes(3));
                assertThat(summary.path("status").asText()).isEqualTo("completed");
                assertThat(summary.path("succeeded").asInt()).isEqualTo(ITEMS);
                assertThat(second.log()).contains("resuming batch " + batchId);
            }

            Map<String, Long> callsPerKey = stub.requests().stream()
                    .collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"), Collectors.counting()));
            Set<String> calledTwice = callsPerKey.entrySet().stream().filter(e -> e.getValue() == 2)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            assertThat(callsPerKey).hasSize(ITEMS);
            assertThat(callsPerKey.values()).allMatch(n -> n <= 2);
            assertThat(calledTwice).isEqualTo(inFlightAtKill);
            assertThat(finalResults(db, batchId)).hasSize(ITEMS).allMatch(status -> status.equals("succeeded"));
            System.out.printf("crash recovery: %d items, %d called before the kill, %d committed, %d in flight and sent twice%n",
                    ITEMS, calledBeforeKill.size(), committedAtKill.size(), calledTwice.size());
        }
    }

    /** Requests the killed JVM had already written may still be arriving: wait until none has for a while. */
    private static void awaitQuiet(StubServer stub) {
        int[] last = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            int now = stub.requests().size();
            boolean quiet = now == last[0];
            last[0] = now;
            return quiet;
        });
    }

    private static Set<String> keys(List<StubServer.Recorded> requests) {
        return requests.stream().map(r -> r.header("Idempotency-Key")).collect(Collectors.toSet());
    }

    /** The items whose results were committed when the JVM died, as their downstream idempotency keys. */
    private static Set<String> committedKeys(TestDatabase db, String batchId) throws Exception {
        Set<String> keys = new HashSet<>();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT id_json FROM items WHERE " + OF_BATCH + " AND status <> 'pending'")) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(batchId + ":" + Json.read(rs.getString(1)).asText() + ":process");
                }
            }
        }
        return keys;
    }

    private static List<String> finalResults(TestDatabase db, String batchId) throws Exception {
        Map<Long, String> byItem = new HashMap<>();
        try (Connection c = db.connect();
                PreparedStatement ps = c
                        .prepareStatement("SELECT item_no, status FROM items WHERE " + OF_BATCH + " AND result IS NOT NULL")) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byItem.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return List.copyOf(byItem.values());
    }
}
