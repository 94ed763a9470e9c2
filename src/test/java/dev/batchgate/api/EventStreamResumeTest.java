package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Reply;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An event stream a client comes back to with Last-Event-ID: the items it missed, in order, then live. */
class EventStreamResumeTest {

    private final Semaphore released = new Semaphore(0);
    private StubServer stub;
    private BatchgateTestApp app;

    @BeforeEach
    void start() {
        // each call waits until the test lets one more through
        stub = new StubServer().respond(r -> {
            released.acquireUninterruptibly();
            return Reply.ok();
        });
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start", "retries", "0",
                        "timeout", "120s"))
                .start();
    }

    @AfterEach
    void stop() {
        released.release(1000);
        app.close();
        stub.close();
    }

    @Test
    void should_replay_the_missed_items_then_go_live_when_a_client_comes_back_with_last_event_id() throws Exception {
        List<String> ids = IntStream.range(0, 8).mapToObj(i -> "r-" + i).toList();
        String batch = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "concurrency", 1, "items", ids))
                .json().path("id").asText();

        Stream first = Stream.open(app.url("/v1/batches/" + batch + "/events"), null);
        assertThat(first.next().name()).isEqualTo("snapshot");
        released.release();
        Event one = first.next();
        released.release();
        Event two = first.next();
        first.close();
        assertThat(List.of(one.itemId(), two.itemId())).containsExactly("r-0", "r-1");
        assertThat(two.id()).isEqualTo(2);

        released.release(3); // r-2, r-3 and r-4 finish while no one watches
        await().atMost(Duration.ofSeconds(30))
                .until(() -> app.get("/v1/batches/" + batch).json().path("succeeded").asInt() == 5);
        Stream again = Stream.open(app.url("/v1/batches/" + batch + "/events"), Long.toString(two.id()));
        List<Event> missed = List.of(again.next(), again.next(), again.next());
        released.release(3);
        List<Event> live = new ArrayList<>();
        Event event;
        while (!(event = again.next()).name().equals("done")) {
            live.add(event);
        }
        again.close();

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
        released.release(1000);
        List<String> ids = IntStream.range(0, 6).mapToObj(i -> "f-" + i).toList();
        String batch = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "concurrency", 1, "items", ids))
                .json().path("id").asText();
        app.awaitFinished(batch);

        Stream stream = Stream.open(app.url("/v1/batches/" + batch + "/events"), "4");
        List<Event> events = List.of(stream.next(), stream.next(), stream.next());
        stream.close();

        assertThat(events).extracting(Event::name).containsExactly("progress", "progress", "done");
        assertThat(events).extracting(Event::id).containsExactly(5L, 6L, 6L);
        assertThat(events.subList(0, 2)).extracting(Event::itemId).containsExactly("f-4", "f-5");
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
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String name = null;
                long id = -1;
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("id: ")) {
                        id = Long.parseLong(line.substring(4));
                    } else if (line.startsWith("data: ")) {
                        events.add(new Event(name, id, Json.read(line.substring(6))));
                    }
                }
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
