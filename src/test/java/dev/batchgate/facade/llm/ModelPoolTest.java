package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelPoolTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private ModelPool pool(int concurrency, ModelSpec... models) {
        return new ModelPool(List.of(models), spec -> new RateLimiter(spec.name(), spec.rpm(), concurrency, timer), timer);
    }

    private static String granted(CompletableFuture<ModelPool.Grant> waiter) {
        return waiter.join().model().name();
    }

    @Test
    void should_grant_the_highest_priority_model_when_it_has_a_free_permit() {
        ModelPool pool = pool(10, new ModelSpec("pro", 60), new ModelSpec("flash", 600));

        assertThat(granted(pool.acquire(false))).isEqualTo("pro");
    }

    @Test
    void should_grant_the_next_model_when_the_first_has_no_permit_now() {
        ModelPool pool = pool(10, new ModelSpec("pro", 2), new ModelSpec("flash", 10), new ModelSpec("lite", 30));

        List<String> models = List.of(granted(pool.acquire(false)), granted(pool.acquire(false)), granted(pool.acquire(false)));

        assertThat(models).containsExactly("pro", "flash", "lite");
    }

    @Test
    void should_give_the_pools_earliest_permit_when_no_model_is_free_now() {
        // pro's next start is 1 s away, flash's 0.5 s: the third call must not wait for pro
        ModelPool pool = pool(10, new ModelSpec("pro", 60), new ModelSpec("flash", 120));
        pool.acquire(false).join();
        pool.acquire(false).join();

        CompletableFuture<ModelPool.Grant> third = pool.acquire(false);

        assertThat(third).isNotDone();
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(third::isDone);
        assertThat(granted(third)).isEqualTo("flash");
    }

    @Test
    void should_skip_an_exhausted_model_until_its_time_has_passed() {
        ModelPool pool = pool(10, new ModelSpec("pro", 6000), new ModelSpec("flash", 6000));
        pool.exhaust("pro", Duration.ofMillis(300));

        assertThat(granted(pool.acquire(false))).isEqualTo("flash");
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> pool.acquire(false).join().model().name().equals("pro"));
    }

    @Test
    void should_wait_when_every_model_is_exhausted_and_grant_the_first_to_come_back() {
        ModelPool pool = pool(10, new ModelSpec("pro", 6000), new ModelSpec("flash", 6000));
        pool.exhaust("pro", Duration.ofSeconds(30));
        pool.exhaust("flash", Duration.ofMillis(300));

        CompletableFuture<ModelPool.Grant> waiter = pool.acquire(false);

        assertThat(waiter).isNotDone();
        assertThat(pool.snapshot()).allSatisfy(state -> assertThat(state.exhaustedForMs()).isPositive());
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(waiter::isDone);
        assertThat(granted(waiter)).isEqualTo("flash");
    }

    @Test
    void should_serve_a_call_moving_on_after_a_refusal_before_the_calls_already_waiting() {
        ModelPool pool = pool(1, new ModelSpec("only", 6000));
        ModelPool.Grant busy = pool.acquire(false).join();
        CompletableFuture<ModelPool.Grant> queued = pool.acquire(false);
        CompletableFuture<ModelPool.Grant> movedOn = pool.acquire(true);

        busy.release();

        Awaitility.await().atMost(Duration.ofSeconds(3)).until(movedOn::isDone);
        assertThat(queued).isNotDone();
    }

    @Test
    void should_grant_a_waiter_when_a_call_on_a_full_model_ends() {
        ModelPool pool = pool(1, new ModelSpec("only", 6000));
        ModelPool.Grant busy = pool.acquire(false).join();
        CompletableFuture<ModelPool.Grant> waiter = pool.acquire(false);
        assertThat(waiter).isNotDone();

        busy.release();

        Awaitility.await().atMost(Duration.ofSeconds(3)).until(waiter::isDone);
    }

    @Test
    void should_hand_the_permit_to_the_next_waiter_when_a_waiter_gives_up() {
        ModelPool pool = pool(1, new ModelSpec("only", 6000));
        ModelPool.Grant busy = pool.acquire(false).join();
        CompletableFuture<ModelPool.Grant> givesUp = pool.acquire(false);
        CompletableFuture<ModelPool.Grant> stays = pool.acquire(false);

        pool.cancel(givesUp);
        busy.release();

        Awaitility.await().atMost(Duration.ofSeconds(3)).until(stays::isDone);
        assertThat(givesUp).isCancelled();
        assertThat(pool.waiting()).isZero();
    }

    @Test
    void should_cap_an_exhaustion_at_one_hour_when_retry_after_is_absurd() {
        ModelPool pool = pool(10, new ModelSpec("pro", 60));

        pool.exhaust("pro", Duration.ofDays(3));

        assertThat(pool.snapshot().get(0).exhaustedForMs()).isLessThanOrEqualTo(ModelPool.MAX_EXHAUSTION.toMillis());
    }
}
