package dev.batchgate.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes item results to the job store in batches (one transaction per up to 1,000 rows) from one
 * background thread: per-item commits would cost more than the calls themselves. The queue is
 * bounded, so a slow store slows the items down instead of filling the heap.
 */
public final class ResultWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultWriter.class);
    private static final int MAX_ROWS_PER_WRITE = 1000;

    private final JobStore store;
    private final BlockingQueue<JobStore.ResultRow> queue = new ArrayBlockingQueue<>(20_000);
    private final Thread thread;
    private long enqueued;
    private long written;
    private volatile boolean running = true;

    public ResultWriter(JobStore store) {
        this.store = store;
        this.thread = new Thread(this::loop, "result-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public void write(JobStore.ResultRow row) {
        try {
            synchronized (this) {
                enqueued++;
            }
            queue.put(row);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a result", e);
        }
    }

    /** Returns once every result queued before this call is committed. */
    public void flush() {
        long target;
        synchronized (this) {
            target = enqueued;
        }
        synchronized (this) {
            while (written < target && running) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void loop() {
        List<JobStore.ResultRow> rows = new ArrayList<>(MAX_ROWS_PER_WRITE);
        while (running || !queue.isEmpty()) {
            try {
                JobStore.ResultRow first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                rows.add(first);
                queue.drainTo(rows, MAX_ROWS_PER_WRITE - 1);
                writeWithRetry(rows);
                synchronized (this) {
                    written += rows.size();
                    notifyAll();
                }
                rows.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A result is never dropped: a failing store is retried until it answers again. */
    private void writeWithRetry(List<JobStore.ResultRow> rows) throws InterruptedException {
        long backoff = 100;
        while (true) {
            try {
                store.saveResults(rows);
                return;
            } catch (RuntimeException e) {
                LOG.warn("writing {} results failed, retrying in {} ms: {}", rows.size(), backoff, e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    @Override
    public void close() {
        flush();
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
