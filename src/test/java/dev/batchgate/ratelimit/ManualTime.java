package dev.batchgate.ratelimit;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock and a scheduler that only move when the test says so: the rate limiter's timers run in
 * order of their due time, with the clock set to it, so minutes of traffic take milliseconds.
 */
final class ManualTime extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task> due = new PriorityQueue<>(
            Comparator.<Task>comparingLong(t -> t.at).thenComparingLong(t -> t.order));
    private long now;
    private long sequence;
    private long lateness;

    long nanos() {
        return now;
    }

    /** Runs every task due up to {@code now + step}, in order, then sets the clock there. */
    void advance(Duration step) {
        runUntil(now + step.toNanos());
    }

    void runUntil(long end) {
        while (!due.isEmpty() && due.peek().at <= end) {
            Task task = due.poll();
            now = Math.max(now, task.at);
            if (!task.cancelled) {
                // like a real scheduled task, it only counts as done once it has run
                task.action.run();
                task.done = true;
            }
        }
        now = Math.max(now, end);
    }

    /** From now on every task runs {@code late} after its due time, as a busy machine's timers do. */
    void timersLateBy(Duration late) {
        lateness = late.toNanos();
    }

    /** Runs {@code action} at {@code now + delay} (the test's own events: releases, new callers). */
    void at(Duration delay, Runnable action) {
        schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task task = new Task(now + unit.toNanos(Math.max(0, delay)) + lateness, sequence++, command);
        due.add(task);
        return task;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object> {
        private final long at;
        private final long order;
        private final Runnable action;
        private boolean cancelled;
        private boolean done;

        Task(long at, long order, Runnable action) {
            this.at = at;
            this.order = order;
            this.action = action;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            done = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
