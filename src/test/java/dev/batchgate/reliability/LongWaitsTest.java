package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** 200 open SSE streams and 50 sync calls waiting for their batches leave the API answering at once. */
class LongWaitsTest {

    private static final int STREAMS = 200;
    private static final int SYNC_CALLS = 50;

    @Test
    void should_answer_the_batch_list_when_200_event_streams_and_50_sync_calls_are_waiting() {
        HttpClient clients = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<?>> waiting = new java.util.ArrayList<>();
        // one start a minute: every batch below stays running, its items waiting for the rate limiter
        try (StubServer stub = new StubServer();
                BatchgateTestApp app = new BatchgateTestApp().with("batchgate.shutdown-timeout", "1s")
                        .target("slow", stub.url(), Map.of("operations.process", "POST /items/{id}", "rpm", "1")).start()) {
            String id = app.post("/v1/batches", Map.of("target", "slow", "operation", "process", "items", List.of("a", "b")))
                    .json().path("id").asText();

            List<CompletableFuture<HttpResponse<Stream<String>>>> streams = IntStream.range(0, STREAMS)
                    .mapToObj(i -> clients.sendAsync(HttpRequest.newBuilder(URI.create(app.url("/v1/batches/" + id + "/events")))
                            .build(), HttpResponse.BodyHandlers.ofLines()))
                    .toList();
            waiting.addAll(streams);
            List<CompletableFuture<?>> syncCalls = new java.util.ArrayList<>();
            for (int i = 0; i < SYNC_CALLS; i++) {
                syncCalls.add(clients.sendAsync(HttpRequest.newBuilder(URI.create(app.url("/v1/batches")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("target", "slow", "operation", "process",
                                "mode", "sync", "items", List.of("s-" + i)))))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            waiting.addAll(syncCalls);
            // every stream is open and every sync batch accepted (and waiting)
            await().atMost(Duration.ofSeconds(60)).until(() -> streams.stream().allMatch(CompletableFuture::isDone));
            assertThat(streams).allSatisfy(s -> assertThat(s.join().statusCode()).isEqualTo(200));
            await().atMost(Duration.ofSeconds(60)).until(() -> running(app) >= 1 + SYNC_CALLS);
            assertThat(syncCalls).noneMatch(CompletableFuture::isDone);

            var list = app.send(HttpRequest.newBuilder(URI.create(app.url("/v1/batches?limit=100"))).timeout(Duration.ofSeconds(5)).GET());
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.json().path("batches")).hasSizeGreaterThanOrEqualTo(1 + SYNC_CALLS);
            assertThat(app.get("/observe/health").status()).isEqualTo(200);
        } finally {
            waiting.forEach(f -> f.cancel(true));
        }
    }

    private static int running(BatchgateTestApp app) {
        return app.get("/v1/batches?status=running&limit=1000").json().path("batches").size();
    }
}
