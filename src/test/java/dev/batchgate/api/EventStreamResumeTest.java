package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.ServerSentEvents;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Reply;
import dev.batchgate.testing.TestDatabase;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An event stream a client comes back to with Last-Event-ID: the items it missed, in order, then live. */
class EventStreamResumeTest {

    /** Each item's call waits until the test releases that item. */
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final TestDatabase database = TestDatabase.fresh();
    private StubServer stub;
    private BatchgateTestApp app;

    @BeforeEach
    void start() {
        stub = new StubServer().respond(r -> {
            try {
                gate(r.path().split("/")[2]).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.ok();
        });
        app = app();
    }

    @AfterEach
    void stop() {
        gates.values().forEach(CountDownLatch::countDown);
        app.close();
        stub.close();
        database.close();
    }

    private BatchgateTestApp app() {
        return new BatchgateTestApp(database)
                .with("batchgate.shutdown-timeout", "200ms")
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start", "retries", "0",
                        "timeout", "120s"))
                .start();
    }

    private CountDownLatch gate(String item) {
        return gates.computeIfAbsent(item, i -> new CountDownLatch(1));
    }

    private void release(String... items) {
        for (String item : items) {
            gate(item).countDown();
        }
    }

    private String startBatch(String prefix, int items) {
        List<String> ids = IntStream.range(0, items).mapToObj(i -> prefix + i).toList();
        return app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "concurrency", 1, "items", ids))
                .json().path("id").asText();
    }

    private void awaitSucceeded(String batch, int succeeded) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> app.get("/v1/batches/" + batch).json().path("succeeded").asInt() == succeeded);
    }

    /** Events up to and with {@code done}. */
    private static List<Event> untilDone(Stream stream) throws InterruptedException {
        List<Event> events = new ArrayList<>();
        Event event;
        do {
            event = stream.next();
            events.add(event);
        } while (!event.name().equals("done"));
        return events;
    }

    @Test
    void should_replay_the_missed_items_then_go_live_when_a_client_comes_back_with_last_event_id() throws Exception {
        String batch = startBatch("r-", 8);
        Stream first = Stream.open(app.url("/v1/batches/" + batch + "/events"), null);
        assertThat(first.next().name()).isEqualTo("snapshot");
        release("r-0");
        Event one = first.next();
        release("r-1");
        Event two = first.next();
        first.close();
        assertThat(List.of(one.itemId(), two.itemId())).containsExactly("r-0", "r-1");
        assertThat(two.id()).isEqualTo(2);

        release("r-2", "r-3", "r-4"); // they finish while no one watches
        awaitSucceeded(batch, 5);
        Stream again = Stream.open(app.url("/v1/batches/" + batch + "/events"), Long.toString(two.id()));
        List<Event> missed = List.of(again.next(), again.next(), again.next());
        release("r-5", "r-6", "r-7");
        List<Event> live = untilDone(again);
        again.close();
        Event event = live.remove(live.size() - 1);

        assertThat(missed).extracting(Event::name).containsOnly("progress");
        assertThat(missed).extracting(Event::itemId).containsExactly("r-2", "r-3", "r-4");
        assertThat(missed).extracting(Event::id).containsExactly(3L, 4L, 5L);
        assertThat(missed).allSatisfy(e -> assertThat(e.data().path("item").path("status").asText()).isEqualTo("succeeded"));
        assertThat(live).extracting(Event::name).containsOnly("progress");
        assertThat(live.stream().flatMap(e -> e.itemIds().stream()).toList()).containsExactly("r-5", "r-6", "r-7");
        assertThat(event.id()).isEqualTo(8);
        assertThat(event.data().path("succeeded").asInt()).isEqualTo(8);
    }

    @Test
    void should_send_the_items_finished_after_last_event_id_then_done_when_the_batch_has_finished() throws Exception {
        release("f-0", "f-1", "f-2", "f-3", "f-4", "f-5");
        String batch = startBatch("f-", 6);
        app.awaitFinished(batch);

        Stream stream = Stream.open(app.url("/v1/batches/" + batch + "/events"), "4");
        List<Event> events = List.of(stream.next(), stream.next(), stream.next());
        stream.close();

        assertThat(events).extracting(Event::name).containsExactly("progress", "progress", "done");
        assertThat(events).extracting(Event::id).containsExactly(5L, 6L, 6L);
        assertThat(events.subList(0, 2)).extracting(Event::itemId).containsExactly("f-4", "f-5");
    }

    @Test
    void should_replay_from_the_stored_finish_order_when_the_server_restarted_in_between() throws Exception {
        String batch = startBatch("s-", 6);
        Stream first = Stream.open(app.url("/v1/batches/" + batch + "/events"), null);
        assertThat(first.next().name()).isEqualTo("snapshot");
        release("s-0", "s-1");
        List<String> seen = new ArrayList<>();
        long lastId = 0;
        while (seen.size() < 2) {
            Event event = first.next();
            seen.addAll(event.itemIds());
            lastId = event.id();
        }
        first.close();
        release("s-2");
        awaitSucceeded(batch, 3);
        app.close(); // s-3's call is cut off: it stays pending and runs again after the start
        app = app();

        Stream again = Stream.open(app.url("/v1/batches/" + batch + "/events"), Long.toString(lastId));
        Event missed = again.next();
        release("s-3", "s-4", "s-5");
        List<Event> live = untilDone(again);
        again.close();

        assertThat(lastId).isEqualTo(2);
        assertThat(missed.name()).isEqualTo("progress");
        assertThat(missed.itemId()).isEqualTo("s-2");
        assertThat(missed.id()).isEqualTo(3);
        Event done = live.remove(live.size() - 1);
        assertThat(live.stream().flatMap(e -> e.itemIds().stream()).toList()).containsExactly("s-3", "s-4", "s-5");
        assertThat(done.id()).isEqualTo(6);
        assertThat(done.data().path("succeeded").asInt()).isEqualTo(6);
    }

    record Event(String name, long id, JsonNode data) {
        String itemId() {
            return data.path("item").path("id").asText();
        }

        /** Every item an event names: {@code items} when it has more than one. */
        List<String> itemIds() {
            List<String> names = new ArrayList<>();
            if (data.has("items")) {
                data.path("items").forEach(i -> names.add(i.path("id").asText()));
            } else {
                names.add(itemId());
            }
            return names;
        }
    }

    /** An open event stream read line by line on a thread of its own; closing it hangs up. */
    private record Stream(InputStream body, BlockingQueue<Event> events) implements AutoCloseable {

        static Stream open(String url, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            Stream stream = new Stream(response.body(), new LinkedBlockingQueue<>());
            Thread reader = new Thread(stream::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
            return stream;
        }

        private void read() {
            try {
                ServerSentEvents.read(body, event -> events.add(new Event(event.name(), event.id(), event.data())));
            } catch (java.io.IOException e) {
                // closed by the test
            }
        }

        Event next() throws InterruptedException {
            Event event = events.poll(30, TimeUnit.SECONDS);
            assertThat(event).as("an event within 30 s").isNotNull();
            return event;
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }
}
