package dev.batchgate.trigger.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ScheduleTest {

    static StubServer stub;
    static BatchgateTestApp app;
    static ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() throws IOException {
        stub = new StubServer().respond(r -> r.path().contains("/slow-")
                ? StubServer.Reply.json(200, "{}").after(Duration.ofMillis(2500)) : StubServer.Reply.json(200, "{}"));
        Path itemsFile = Files.createTempFile("schedule-items", ".csv");
        Files.writeString(itemsFile, "id,reason\nc-1,nightly\nc-2,nightly\n");
        log.start();
        ((Logger) LoggerFactory.getLogger(Schedules.class)).addAppender(log);
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start",
                        "operations.note", "POST /notes/{id}", "operations.note.body", "{\"reason\":\"{params.reason}\"}"))
                .with("batchgate.schedules.tick.every", "1s")
                .with("batchgate.schedules.tick.target", "svc")
                .with("batchgate.schedules.tick.operation", "start")
                .with("batchgate.schedules.tick.items", "t-1, t-2")
                .with("batchgate.schedules.slow.every", "1s")
                .with("batchgate.schedules.slow.target", "svc")
                .with("batchgate.schedules.slow.operation", "start")
                .with("batchgate.schedules.slow.items", "slow-1")
                .with("batchgate.schedules.kathmandu.cron", "* * * * * ?")
                .with("batchgate.schedules.kathmandu.timezone", "Asia/Kathmandu")
                .with("batchgate.schedules.kathmandu.target", "svc")
                .with("batchgate.schedules.kathmandu.operation", "note")
                .with("batchgate.schedules.kathmandu.items-file", itemsFile.toString())
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
        ((Logger) LoggerFactory.getLogger(Schedules.class)).detachAppender(log);
    }

    @Test
    void should_start_a_batch_at_each_firing_when_an_every_schedule_fires_twice() {
        await().atMost(Duration.ofSeconds(30)).until(() -> batches("schedule:tick").size() >= 2);

        List<JsonNode> batches = batches("schedule:tick");
        assertThat(batches).allSatisfy(b -> {
            JsonNode summary = app.awaitFinished(b.path("id").asText());
            assertThat(summary.path("status").asText()).isEqualTo("completed");
            assertThat(summary.path("operation").asText()).isEqualTo("start");
            assertThat(summary.path("succeeded").asInt()).isEqualTo(2);
        });
        JsonNode tick = schedule("tick");
        assertThat(tick.path("every").asText()).isEqualTo("PT1S");
        assertThat(tick.path("lastFiring").path("outcome").asText()).isIn("started", "skipped");
        assertThat(tick.path("firings").path("started").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(Instant.parse(tick.path("nextFiringAt").asText()))
                .isAfter(Instant.parse(tick.path("lastFiring").path("at").asText()));
    }

    @Test
    void should_skip_and_log_a_firing_when_the_previous_batch_of_the_schedule_is_still_running() {
        await().atMost(Duration.ofSeconds(30)).until(() -> schedule("slow").path("firings").path("skipped").asInt() >= 2
                && batches("schedule:slow").size() >= 2);

        List<JsonNode> batches = new ArrayList<>(batches("schedule:slow"));
        batches.sort(Comparator.comparing(b -> Instant.parse(b.path("createdAt").asText())));
        for (int i = 1; i < batches.size(); i++) {
            JsonNode previous = app.awaitFinished(batches.get(i - 1).path("id").asText());
            assertThat(Instant.parse(batches.get(i).path("createdAt").asText()))
                    .isAfterOrEqualTo(Instant.parse(previous.path("finishedAt").asText()));
        }
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .matches("schedule slow skipped: batch b-\\S+ of its previous firing is still running"));
    }

    @Test
    void should_fire_on_cron_times_with_items_from_a_file_when_a_cron_schedule_has_a_time_zone() {
        await().atMost(Duration.ofSeconds(30)).until(() -> !batches("schedule:kathmandu").isEmpty());

        JsonNode summary = app.awaitFinished(batches("schedule:kathmandu").get(0).path("id").asText());
        assertThat(summary.path("succeeded").asInt()).isEqualTo(2);
        assertThat(stub.requests("/notes/c-1").get(0).body()).isEqualTo("{\"reason\":\"nightly\"}");
        JsonNode kathmandu = schedule("kathmandu");
        assertThat(kathmandu.path("cron").asText()).isEqualTo("* * * * * ?");
        assertThat(kathmandu.path("timezone").asText()).isEqualTo("Asia/Kathmandu");
        assertThat(kathmandu.path("itemsFile").asText()).endsWith(".csv");
        assertThat(kathmandu.path("nextFiringAt").isTextual()).isTrue();
    }

    static List<JsonNode> batches(String trigger) {
        List<JsonNode> found = new ArrayList<>();
        app.get("/v1/batches?limit=1000").json().path("batches").forEach(b -> {
            if (b.path("trigger").asText().equals(trigger)) {
                found.add(b);
            }
        });
        return found;
    }

    static JsonNode schedule(String name) {
        for (JsonNode s : app.get("/v1/schedules").json().path("schedules")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no schedule " + name);
    }
}
