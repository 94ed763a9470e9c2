package dev.batchgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rate limit as the downstream sees it: request arrival times recorded by the stub. The 60-second
 * window itself is checked to the nanosecond in {@link RateLimiterTest}; here the spacing and the
 * sharing between batches are checked end to end, in runs of about 15 seconds.
 */
class RateLimitHttpTest {

    /** Arrival times at the stub wobble with thread scheduling on a busy machine, by up to this much. */
    private static final long JITTER_NANOS = Duration.ofMillis(150).toNanos();

    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp()
                .target("rpm120", stub.url(), Map.of("operations.start", "POST /rpm120/{id}/start", "rpm", "120"))
                .target("rpm60", stub.url(), Map.of("operations.start", "POST /rpm60/{id}/start", "rpm", "60"))
                .target("shared", stub.url(), Map.of("operations.start", "POST /shared/{id}/start", "rpm", "600",
                        "concurrency", "2"))
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    private static String submit(String target, List<String> items) {
        var response = app.post("/v1/batches", Map.of("target", target, "operation", "start", "items", items));
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.json().path("id").asText();
    }

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void should_space_starts_evenly_and_keep_every_60s_window_within_rpm_when_two_targets_run_at_once() {
        String fast = submit("rpm120", ids("a-", 30));
        String slow = submit("rpm60", ids("b-", 15));
        app.awaitFinished(fast);
        app.awaitFinished(slow);

        assertEvenlySpacedWithinRpm(stub.requests("/rpm120/"), 30, 120);
        assertEvenlySpacedWithinRpm(stub.requests("/rpm60/"), 15, 60);
    }

    private static void assertEvenlySpacedWithinRpm(List<StubServer.Recorded> calls, int expected, int rpm) {
        assertThat(calls).hasSize(expected);
        List<Long> starts = calls.stream().map(StubServer.Recorded::atNanos).sorted().toList();
        long interval = Duration.ofMinutes(1).toNanos() / rpm;
        // from the second start on: the first call also opens a connection, so it reaches the stub late
        for (int i = 2; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).as("gap before start %d (ns)", i)
                    .isGreaterThanOrEqualTo(interval - JITTER_NANOS);
            assertThat(starts.get(i) - starts.get(1)).as("start %d from the second (ns)", i)
                    .isGreaterThanOrEqualTo((i - 1) * interval - JITTER_NANOS);
        }
        assertThat(RateLimiterTest.maxInAnyWindow(starts, Duration.ofMinutes(1))).isLessThanOrEqualTo(rpm);
    }

    @Test
    void should_take_turns_so_a_small_batch_is_not_starved_when_a_big_batch_holds_the_target() {
        String big = submit("shared", ids("big-", 60));
        await().atMost(Duration.ofSeconds(30)).until(() -> stub.requests("/shared/").size() >= 5);
        String small = submit("shared", ids("small-", 3));
        app.awaitFinished(small);
        app.awaitFinished(big);

        List<String> order = stub.requests("/shared/").stream()
                .map(r -> r.header("Idempotency-Key").startsWith(small) ? "small" : "big").toList();
        int firstSmall = order.indexOf("small");
        int lastSmall = order.lastIndexOf("small");
        assertThat(order.subList(firstSmall, lastSmall + 1)).as("arrivals while the small batch ran: %s", order)
                .filteredOn("big"::equals).hasSizeLessThanOrEqualTo(3);
        assertThat(lastSmall).isLessThan(order.size() - 1);
    }
}
