package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.json.Json;
import dev.batchgate.store.JobStore;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.SlowReader;
import dev.batchgate.testing.StubServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NDJSON and CSV exports of a large batch to slow, concurrent and departing readers: every row once, or a visibly cut-off body. */
class ResultsExportTest {

    static final int TOTAL = 50_000;
    /** Makes an NDJSON row about 400 bytes: a body many times what loopback socket buffers absorb (some MB) before the server must wait. */
    static final String DETAIL = "x".repeat(300);
    static StubServer stub;
    static BatchgateTestApp app;
    static String batch;

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(r -> StubServer.Reply.json(200, "{\"detail\":\"" + DETAIL + "\"}"));
        app = new BatchgateTestApp().target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start",
                "concurrency", "200")).start();
        batch = submit("i-", TOTAL);
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    static String submit(String prefix, int total) {
        List<String> items = IntStream.range(0, total).mapToObj(i -> prefix + i).toList();
        String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "concurrency", 200, "items", items))
                .json().path("id").asText();
        app.awaitFinished(id);
        return id;
    }

    @Test
    void should_deliver_every_row_exactly_once_when_several_slow_clients_export_at_once() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<SlowReader.Result>> ndjson = new ArrayList<>();
            List<Future<SlowReader.Result>> csv = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ndjson.add(clients.submit(() -> slowReader().get(results(batch), "application/x-ndjson")));
                csv.add(clients.submit(() -> slowReader().get(results(batch), "text/csv")));
            }

            for (Future<SlowReader.Result> f : ndjson) {
                SlowReader.Result result = f.get();
                assertThat(result.status()).isEqualTo(200);
                assertThat(result.complete()).as(result.failure()).isTrue();
                assertThat(ndjsonIds(result.text())).isEqualTo(expectedIds());
                assertThat(Json.read(result.text().lines().findFirst().orElseThrow()).path("response").path("detail").asText())
                        .isEqualTo(DETAIL);
            }
            for (Future<SlowReader.Result> f : csv) {
                SlowReader.Result result = f.get();
                assertThat(result.complete()).as(result.failure()).isTrue();
                List<String> lines = result.text().lines().toList();
                assertThat(lines.get(0)).isEqualTo("id,status,httpStatus,attempts,durationMs,error");
                assertThat(lines.subList(1, lines.size())).allMatch(l -> l.matches("i-\\d+,succeeded,200,\\d+,\\d+,"));
                assertThat(lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(','))).toList())
                        .hasSize(TOTAL).doesNotHaveDuplicates().containsExactlyElementsOf(expectedIds());
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void should_finish_other_exports_when_clients_disconnect_part_way() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            Future<SlowReader.Result> patient = clients.submit(() -> slowReader().get(results(batch), "application/x-ndjson"));
            List<Future<SlowReader.Result>> leaving = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String accept = i % 2 == 0 ? "application/x-ndjson" : "text/csv";
                leaving.add(clients.submit(() -> slowReader().stopAfter(200_000).get(results(batch), accept)));
            }

            for (Future<SlowReader.Result> f : leaving) {
                assertThat(f.get().failure()).isEqualTo("stopped reading");
            }
            SlowReader.Result result = patient.get();
            assertThat(result.complete()).as(result.failure()).isTrue();
            assertThat(ndjsonIds(result.text())).isEqualTo(expectedIds());
            SlowReader.Result after = new SlowReader(app.port()).get(results(batch), "text/csv");
            assertThat(after.complete()).isTrue();
            assertThat(after.text().lines()).hasSize(TOTAL + 1);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void should_serve_every_waiting_export_at_once_when_more_clients_pause_than_there_are_worker_threads() throws Exception {
        int waiting = 24; // more than Vert.x's 20 worker threads: exports that held one each while their client paused would queue
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(waiting);
        try {
            List<SlowReader> readers = new ArrayList<>();
            List<Future<SlowReader.Result>> exports = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                SlowReader reader = slowReader().holdAt(64 * 1024, release).stopAfter(256 * 1024);
                readers.add(reader);
                exports.add(clients.submit(() -> reader.get(results(batch), "application/x-ndjson")));
            }

            for (SlowReader reader : readers) {
                assertThat(reader.awaitHolding(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(app.get("/v1/batches/" + batch).json().path("succeeded").asInt()).isEqualTo(TOTAL);
            release.countDown();
            for (Future<SlowReader.Result> export : exports) {
                assertThat(export.get().failure()).isEqualTo("stopped reading");
            }
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    @Test
    void should_cut_the_body_off_without_its_last_chunk_when_the_batch_is_deleted_part_way() throws Exception {
        String doomed = submit("d-", 20_000);
        CountDownLatch deleted = new CountDownLatch(1);
        SlowReader reader = slowReader().holdAt(64 * 1024, deleted);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<SlowReader.Result> export = client.submit(() -> reader.get(results(doomed), "application/x-ndjson"));
            assertThat(reader.awaitHolding(Duration.ofSeconds(60))).isTrue();

            JobStore store = app.context().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
            store.deleteBatch(doomed);
            deleted.countDown();

            SlowReader.Result result = export.get();
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.complete()).isFalse();
            assertThat(result.failure()).contains("before the last chunk");
            assertThat(result.text().lines().count()).isLessThan(20_000);
            assertThat(app.get("/v1/batches/" + batch).status()).isEqualTo(200);
        } finally {
            client.shutdownNow();
        }
    }

    /** Reads slower than the server writes, so its write queue fills and it must wait for the reader. */
    private static SlowReader slowReader() {
        return new SlowReader(app.port()).pacing(2048, 64 * 1024, Duration.ofMillis(20));
    }

    private static String results(String id) {
        return "/v1/batches/" + id + "/results";
    }

    private static List<String> expectedIds() {
        return IntStream.range(0, TOTAL).mapToObj(i -> "i-" + i).toList();
    }

    /** The ids of an NDJSON body in order; every line must be one whole JSON document. */
    private static List<String> ndjsonIds(String body) {
        List<String> ids = body.lines().map(line -> Json.read(line).path("id").asText()).toList();
        Set<String> unique = new HashSet<>(ids);
        assertThat(unique).hasSize(ids.size());
        return ids;
    }
}
