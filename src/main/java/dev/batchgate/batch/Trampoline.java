package dev.batchgate.batch;

import java.util.ArrayDeque;

/**
 * Runs tasks on the calling thread, one after the other: a task handed in while another runs on the
 * same thread waits until that one is done instead of nesting inside it, so a long chain of tasks
 * that each hand in the next runs as a loop, not as a deepening stack.
 */
final class Trampoline {

    private final ThreadLocal<ArrayDeque<Runnable>> queued = new ThreadLocal<>();

    /** Runs {@code task} now, or after the task this thread is running. Tasks must not throw: one that did would drop those queued behind it. */
    void run(Runnable task) {
        ArrayDeque<Runnable> queue = queued.get();
        if (queue != null) {
            queue.add(task);
            return;
        }
        queue = new ArrayDeque<>();
        queued.set(queue);
        try {
            for (Runnable next = task; next != null; next = queue.poll()) {
                next.run();
            }
        } finally {
            queued.remove();
        }
    }
}
