package dev.batchgate.store;

import dev.batchgate.concurrent.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes item results to the job store in batches (one transaction per full batch, below) from one
 * background thread: per-item commits would cost more than the calls themselves. The writer starts
 * a commit as soon as a result arrives, but at most one per {@link #COMMIT_INTERVAL_MS} unless a full
 * batch is waiting: a commit (an H2 chunk written to the file) costs far more than a row, and a writer
 * that keeps up would otherwise commit a few rows at a time, taking that CPU from the items (at 2,000
 * items/s, 50 ms instead of 10 ms took a fifth off batchgate's CPU per item). At most
 * {@code maxUnwritten} results are queued or being committed at any time
 * ({@code batchgate.store.max-unwritten-results}): {@link #write} waits for room. That bound is what
 * a crash can lose (those items run again after a restart), and it makes a slow store slow the items
 * down instead of filling the heap.
 * <p>
 * Between commits the writer sleeps until the next one is due; a result wakes it only when it fills
 * a batch, not every time (2,000 wake-ups a second at 2,000 items/s, now about twenty). A full batch
 * is half of {@code maxUnwritten}: while it is committed, the items go on filling the other half. A
 * writer that waited for all of them stopped every item for the length of each commit (at latency 0,
 * 17,000 instead of 22,000 items/s).
 */
public final class ResultWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultWriter.class);
    private static final int MAX_ROWS_PER_WRITE = 1000;
    public static final int DEFAULT_MAX_UNWRITTEN = 256;
    static final long COMMIT_INTERVAL_MS = 50;

    private final JobStore store;
    private final BlockingQueue<JobStore.ResultRow> queue;
    private final Semaphore room;
    private final int maxUnwritten;
    /** Rows in one commit, half of {@code maxUnwritten}: a full batch is committed without waiting for the commit interval. */
    private final int fullBatch;
    private final Thread thread;
    private long enqueued;
    private long written;
    private volatile boolean running = true;

    public ResultWriter(JobStore store) {
        this(store, DEFAULT_MAX_UNWRITTEN);
    }

    public ResultWriter(JobStore store, int maxUnwritten) {
        if (maxUnwritten < 1) {
            throw new IllegalArgumentException("batchgate.store.max-unwritten-results must be at least 1, got " + maxUnwritten);
        }
        this.store = store;
        this.maxUnwritten = maxUnwritten;
        this.fullBatch = Math.max(1, Math.min(MAX_ROWS_PER_WRITE, maxUnwritten / 2));
        this.queue = new ArrayBlockingQueue<>(maxUnwritten);
        this.room = new Semaphore(maxUnwritten);
        this.thread = DaemonThreads.named("result-writer").newThread(this::loop);
        this.thread.start();
    }

    public int maxUnwritten() {
        return maxUnwritten;
    }

    /** Queues one result; waits while {@code maxUnwritten} results are not committed yet. */
    public void write(JobStore.ResultRow row) {
        try {
            room.acquire();
            synchronized (this) {
                enqueued++;
            }
            queue.put(row);
            wakeWriterIfFull();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a result", e);
        }
    }

    /** Queues one result if there is room now (false, and nothing queued, otherwise): for threads that must not wait. */
    public boolean tryWrite(JobStore.ResultRow row) {
        if (!room.tryAcquire()) {
            return false;
        }
        synchronized (this) {
            enqueued++;
        }
        queue.add(row);
        wakeWriterIfFull();
        return true;
    }

    /** Uncommitted results are queued or gathered by the writer; once they fill a batch, it need not sleep on. */
    private void wakeWriterIfFull() {
        if (maxUnwritten - room.availablePermits() >= fullBatch) {
            LockSupport.unpark(thread);
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
        long lastCommit = System.nanoTime();
        while (running || !queue.isEmpty()) {
            try {
                JobStore.ResultRow first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                rows.add(first);
                gatherUntil(rows, lastCommit + TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MS));
                lastCommit = System.nanoTime();
                writeWithRetry(rows);
                synchronized (this) {
                    written += rows.size();
                    notifyAll();
                }
                room.release(rows.size());
                rows.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Adds what is queued, and what arrives before {@code deadline} (a nanoTime), to {@code rows};
     * returns early once the batch is full.
     */
    private void gatherUntil(List<JobStore.ResultRow> rows, long deadline) {
        queue.drainTo(rows, fullBatch - rows.size());
        long left;
        while (rows.size() < fullBatch && running && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            queue.drainTo(rows, fullBatch - rows.size());
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
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
