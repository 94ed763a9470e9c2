package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallerRunsExecutorTest {

    private final CallerRunsExecutor executor = new CallerRunsExecutor();

    @Test
    void should_run_a_task_on_the_submitting_thread_when_it_is_submitted() {
        Thread[] ranOn = new Thread[1];

        executor.execute(() -> ranOn[0] = Thread.currentThread());

        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
    }

    @Test
    void should_run_a_task_after_the_current_one_when_a_task_submits_it() {
        List<String> order = new ArrayList<>();

        executor.execute(() -> {
            order.add("first starts");
            executor.execute(() -> order.add("second"));
            order.add("first ends");
        });

        assertThat(order).containsExactly("first starts", "first ends", "second");
    }

    @Test
    void should_keep_the_stack_flat_when_each_task_submits_the_next() {
        int[] runs = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (++runs[0] < 100_000) {
                executor.execute(next[0]);
            }
        };

        executor.execute(next[0]);

        assertThat(runs[0]).isEqualTo(100_000);
    }

    @Test
    void should_still_run_the_queued_tasks_when_a_task_throws() {
        List<String> order = new ArrayList<>();

        executor.execute(() -> {
            executor.execute(() -> order.add("queued"));
            throw new IllegalStateException("boom");
        });

        assertThat(order).containsExactly("queued");
    }
}
