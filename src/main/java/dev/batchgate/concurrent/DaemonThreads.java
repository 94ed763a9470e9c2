package dev.batchgate.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Daemon threads with a name that says what they do, so that none of them holds the JVM open at exit. */
public final class DaemonThreads implements ThreadFactory {

    private final IntFunction<String> names;
    private final AtomicInteger created = new AtomicInteger();

    private DaemonThreads(IntFunction<String> names) {
        this.names = names;
    }

    /** Every thread named {@code name}: for an executor of one thread. */
    public static DaemonThreads named(String name) {
        return new DaemonThreads(n -> name);
    }

    /** Threads named {@code prefix1}, {@code prefix2}, …: for a pool. */
    public static DaemonThreads numbered(String prefix) {
        return new DaemonThreads(n -> prefix + n);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, names.apply(created.incrementAndGet()));
        thread.setDaemon(true);
        return thread;
    }
}
