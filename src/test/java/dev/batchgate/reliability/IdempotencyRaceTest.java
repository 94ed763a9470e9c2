package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Creates and retries racing each other: the same Idempotency-Key always gives one batch, and each item is called once. */
class IdempotencyRaceTest {

    private static final int RACERS = 8;
    private static final CountDownLatch release = new CountDownLatch(1);
    /** Item id prefixes that no longer fail: bad-* items answer 404 until a test heals them for their retry. */
    private static final Set<String> healed = ConcurrentHashMap.newKeySet();
    static StubServer stub;
    static BatchgateTestApp app;
    static ExecutorService clients = Executors.newFixedThreadPool(RACERS);

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(r -> {
            String item = r.path().substring(r.path().lastIndexOf('/') + 1);
            if (item.startsWith("bad-") && healed.stream().noneMatch(item::startsWith)) {
                return StubServer.Reply.json(404, "{\"error\":\"no such item\"}");
            }
            if (item.startsWith("bad-h")) {
                await(release);
            }
            return StubServer.Reply.ok();
        });
        app = new BatchgateTestApp().target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}")).start();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        clients.shutdownNow();
        app.close();
        stub.close();
    }

    @Test
    void should_create_one_batch_when_creates_with_the_same_key_race() {
        Map<String, Object> body = Map.of("target", "svc", "operation", "process", "items", List.of("c-1", "c-2", "c-3"));

        List<BatchgateTestApp.Response> answers = race(() -> app.post("/v1/batches", body, Map.of("Idempotency-Key", "create-race")));

        assertThat(answers).extracting(BatchgateTestApp.Response::status).containsOnly(202);
        assertThat(answers.stream().map(a -> a.json().path("id").asText()).distinct()).hasSize(1);
        app.awaitFinished(answers.get(0).json().path("id").asText());
        assertThat(callsPerKey("/items/c-")).hasSize(3).allSatisfy((key, calls) -> assertThat(calls).isEqualTo(1));
        assertThat(app.get("/v1/batches?target=svc&limit=1000").json().path("batches").findValuesAsText("id"))
                .containsOnlyOnce(answers.get(0).json().path("id").asText());
    }

    @Test
    void should_refuse_the_key_when_the_body_differs() {
        Map<String, String> key = Map.of("Idempotency-Key", "create-other-body");
        assertThat(app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "items", List.of("o-1")), key).status())
                .isEqualTo(202);

        var second = app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "items", List.of("o-2")), key);

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().path("error").asText()).contains("different request body");
    }

    @Test
    void should_start_one_retry_when_retries_with_the_same_key_race() {
        String failed = finishedWithFailures("bad-r1", "bad-r2", "ok-r3");
        healed.add("bad-r");

        List<BatchgateTestApp.Response> answers = race(() -> app.post("/v1/batches/" + failed + "/retry", "{}",
                Map.of("Idempotency-Key", "retry-race")));

        assertThat(answers).extracting(BatchgateTestApp.Response::status).containsOnly(202);
        assertThat(answers.stream().map(a -> a.json().path("id").asText()).distinct()).hasSize(1);
        String retry = answers.get(0).json().path("id").asText();
        assertThat(app.awaitFinished(retry).path("succeeded").asInt()).isEqualTo(2);
        assertThat(app.get("/v1/batches/" + retry).json().path("retryOf").asText()).isEqualTo(failed);
        assertThat(callsPerKey("/items/bad-r")).hasSize(4).allSatisfy((key, calls) -> assertThat(calls).isEqualTo(1));
    }

    @Test
    void should_start_one_retry_when_retries_without_a_key_race() {
        String failed = finishedWithFailures("bad-h1", "bad-h2");
        healed.add("bad-h");

        List<BatchgateTestApp.Response> answers = race(() -> app.post("/v1/batches/" + failed + "/retry", "{}"));

        assertThat(answers).extracting(BatchgateTestApp.Response::status).containsOnlyOnce(202)
                .containsOnly(202, 409);
        release.countDown();
        String retry = answers.stream().filter(a -> a.status() == 202).findFirst().orElseThrow().json().path("id").asText();
        assertThat(app.awaitFinished(retry).path("succeeded").asInt()).isEqualTo(2);
    }

    /** A finished batch on the real stub where the ids starting with bad- failed. */
    private static String finishedWithFailures(String... ids) {
        String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "items", List.of(ids)))
                .json().path("id").asText();
        assertThat(app.awaitFinished(id).path("failed").asInt()).isPositive();
        return id;
    }

    private static Map<String, Long> callsPerKey(String pathPrefix) {
        return stub.requests(pathPrefix).stream()
                .collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"), Collectors.counting()));
    }

    /** The same call from several threads released at the same moment. */
    private static List<BatchgateTestApp.Response> race(Supplier<BatchgateTestApp.Response> call) {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<BatchgateTestApp.Response>> calls = IntStream.range(0, RACERS)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return call.get();
                }, clients)).toList();
        go.countDown();
        return calls.stream().map(CompletableFuture::join).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
