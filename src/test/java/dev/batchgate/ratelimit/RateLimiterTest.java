package dev.batchgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The limiter on its own, on a hand-driven clock: minutes of traffic are simulated exactly, so the
 * 60-second window, the spacing and the fairness are checked to the nanosecond.
 */
class RateLimiterTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ManualTime time = new ManualTime();
    private final List<Grant> grants = new ArrayList<>();
    private int inFlight;
    private int maxInFlight;

    record Grant(String key, long at) {
    }

    @Test
    void should_start_at_most_rpm_requests_in_any_60s_window_when_two_batches_always_wait() {
        RateLimiter limiter = limiter(120, 50);
        waiters(limiter, "big", 1000, Duration.ofSeconds(3));
        waiters(limiter, "other", 1000, Duration.ofMillis(100));

        time.advance(Duration.ofMinutes(10));

        assertThat(maxInAnyWindow(startTimes(), MINUTE)).isLessThanOrEqualTo(120);
        // the budget is used, not wasted: 10 minutes at 120 rpm, less one guard interval
        assertThat(grants).hasSizeGreaterThanOrEqualTo(1195);
    }

    @Test
    void should_space_starts_evenly_when_many_callers_arrive_at_once() {
        RateLimiter limiter = limiter(120, 100);
        waiters(limiter, "batch", 100, Duration.ofMillis(10));

        time.advance(Duration.ofSeconds(30));

        List<Long> starts = startTimes();
        assertThat(starts).hasSize(61);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).isEqualTo(Duration.ofMillis(500).toNanos());
        }
    }

    @Test
    void should_keep_the_spacing_when_a_start_had_to_wait_for_a_free_place() {
        RateLimiter limiter = limiter(60, 1);
        // the first call holds the only place for 1.7 s; the next ones are quick
        limiter.acquire("batch").thenAccept(permit -> {
            record("batch");
            time.at(Duration.ofMillis(1700), () -> release(permit));
        });
        waiters(limiter, "batch", 3, Duration.ofMillis(10));

        time.advance(Duration.ofSeconds(10));

        List<Long> starts = startTimes();
        assertThat(starts).containsExactly(0L, millis(1700), millis(2700), millis(3700));
    }

    @Test
    void should_use_the_whole_rate_when_every_timer_fires_late() {
        RateLimiter limiter = limiter(600, 100);
        time.timersLateBy(Duration.ofMillis(3));
        waiters(limiter, "batch", 4000, Duration.ofMillis(10));

        time.advance(Duration.ofMinutes(5));

        // 100 ms apart on average, not 103: a late start does not push all later ones back
        assertThat(grants).hasSizeGreaterThanOrEqualTo(2990);
        assertThat(maxInAnyWindow(startTimes(), MINUTE)).isLessThanOrEqualTo(600);
    }

    @Test
    void should_take_turns_between_batches_when_a_big_batch_came_first() {
        RateLimiter limiter = limiter(600, 1);
        waiters(limiter, "big", 200, Duration.ZERO);
        time.at(Duration.ofSeconds(2), () -> waiters(limiter, "small", 3, Duration.ZERO));

        time.advance(Duration.ofSeconds(20));

        List<String> nextSix = grants.stream().filter(g -> g.at() >= millis(2000)).map(Grant::key).toList().subList(0, 6);
        assertThat(nextSix).filteredOn("small"::equals).hasSize(3);
        for (int i = 1; i < nextSix.size(); i++) {
            assertThat(nextSix.get(i)).as("turn %d of %s", i, nextSix).isNotEqualTo(nextSix.get(i - 1));
        }
    }

    @Test
    void should_hold_at_most_concurrency_requests_in_flight_when_calls_are_slow() {
        RateLimiter limiter = limiter(null, 3);
        waiters(limiter, "batch", 10, Duration.ofSeconds(1));

        time.advance(Duration.ofMillis(500));
        assertThat(limiter.snapshot().inFlight()).isEqualTo(3);
        assertThat(limiter.snapshot().waiting()).isEqualTo(7);

        time.advance(Duration.ofSeconds(10));
        assertThat(grants).hasSize(10);
        assertThat(maxInFlight).isEqualTo(3);
        assertThat(startTimes()).containsExactly(0L, 0L, 0L, millis(1000), millis(1000), millis(1000),
                millis(2000), millis(2000), millis(2000), millis(3000));
    }

    @Test
    void should_pause_the_target_and_halve_its_rate_when_it_answers_429() {
        RateLimiter limiter = limiter(60, 10);
        waiters(limiter, "batch", 100, Duration.ofMillis(10));
        time.at(Duration.ofMillis(5500), () -> limiter.pause(Duration.ofSeconds(10)));

        time.advance(Duration.ofSeconds(6));
        assertThat(limiter.snapshot().pausedForMs()).isEqualTo(9500);
        assertThat(limiter.snapshot().effectiveRpm()).isEqualTo(30.0);

        time.advance(Duration.ofSeconds(14));
        List<Long> starts = startTimes();
        assertThat(starts).containsSubsequence(millis(5000), millis(15500), millis(17500), millis(19500));
        assertThat(starts).noneMatch(t -> t > millis(5000) && t < millis(15500));
    }

    @Test
    void should_cap_a_pause_at_five_minutes_when_retry_after_is_longer() {
        RateLimiter limiter = limiter(60, 10);
        limiter.pause(Duration.ofHours(2));

        assertThat(limiter.snapshot().pausedForMs()).isEqualTo(Duration.ofMinutes(5).toMillis());
    }

    @Test
    void should_raise_the_rate_by_a_tenth_a_minute_when_calls_succeed_after_a_429() {
        RateLimiter limiter = limiter(100, 10);
        limiter.pause(Duration.ofSeconds(1));
        assertThat(limiter.snapshot().effectiveRpm()).isEqualTo(50.0);

        time.advance(Duration.ofSeconds(30));
        limiter.recordSuccess();
        assertThat(limiter.snapshot().effectiveRpm()).isEqualTo(50.0);

        time.advance(Duration.ofSeconds(30));
        limiter.recordSuccess();
        assertThat(limiter.snapshot().effectiveRpm()).isEqualTo(55.0);
    }

    @Test
    void should_follow_new_limits_at_once_when_updated_live() {
        RateLimiter limiter = limiter(60, 10);
        waiters(limiter, "batch", 100, Duration.ofMillis(10));
        time.at(Duration.ofMillis(10200), () -> limiter.update(120, null));
        time.at(Duration.ofMillis(13200), () -> limiter.update(30, null));

        time.advance(Duration.ofSeconds(20));

        assertThat(startTimes()).containsSubsequence(millis(9000), millis(10000), millis(10500), millis(11000),
                millis(13000), millis(15000), millis(17000), millis(19000));
        assertThat(startTimes()).noneMatch(t -> t > millis(13000) && t < millis(15000));
    }

    @Test
    void should_let_more_requests_in_flight_when_concurrency_is_raised_live() {
        RateLimiter limiter = limiter(null, 1);
        waiters(limiter, "batch", 5, Duration.ofSeconds(10));
        time.advance(Duration.ofSeconds(1));
        assertThat(grants).hasSize(1);

        limiter.update(null, 4);

        assertThat(grants).hasSize(4);
        assertThat(limiter.snapshot().inFlight()).isEqualTo(4);
    }

    @Test
    void should_give_the_turn_to_the_next_caller_when_a_waiting_caller_gives_up() {
        RateLimiter limiter = limiter(60, 10);
        waiters(limiter, "a", 1, Duration.ofMillis(10));
        CompletableFuture<RateLimiter.Permit> givenUp = limiter.acquire("b");
        waiters(limiter, "c", 1, Duration.ofMillis(10));
        givenUp.cancel(false);

        time.advance(Duration.ofSeconds(5));

        assertThat(grants).extracting(Grant::key).containsExactly("a", "c");
        assertThat(startTimes()).containsExactly(0L, millis(1000));
        assertThat(limiter.snapshot().inFlight()).isZero();
        assertThat(limiter.snapshot().waiting()).isZero();
    }

    private RateLimiter limiter(Integer rpm, int concurrency) {
        return new RateLimiter("test", rpm, concurrency, time, time::nanos);
    }

    /** {@code n} callers of one batch that ask at once, each holding its place for {@code hold}. */
    private void waiters(RateLimiter limiter, String key, int n, Duration hold) {
        for (int i = 0; i < n; i++) {
            limiter.acquire(key).thenAccept(permit -> {
                record(key);
                time.at(hold, () -> release(permit));
            });
        }
    }

    private void record(String key) {
        grants.add(new Grant(key, time.nanos()));
        maxInFlight = Math.max(maxInFlight, ++inFlight);
    }

    private void release(RateLimiter.Permit permit) {
        inFlight--;
        permit.release();
    }

    private List<Long> startTimes() {
        return grants.stream().map(Grant::at).sorted().toList();
    }

    /** The most starts found in a closed window of {@code window} length (the worst window ends at a start). */
    static int maxInAnyWindow(List<Long> sortedStarts, Duration window) {
        int max = 0;
        int first = 0;
        for (int last = 0; last < sortedStarts.size(); last++) {
            while (sortedStarts.get(last) - sortedStarts.get(first) > window.toNanos()) {
                first++;
            }
            max = Math.max(max, last - first + 1);
        }
        return max;
    }

    private static long millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }
}
