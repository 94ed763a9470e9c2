import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain-client baseline: N POSTs to <baseUrl>/i-<k> with at most C in flight, using the JDK HttpClient.
 *
 * Usage: java bench/JdkClient.java <baseUrl> <N> <C> [warmup] [async|threads]
 *   async   - one client, sendAsync, a Semaphore of C permits (default)
 *   threads - a fixed pool of C threads, each calling the blocking send()
 * Prints one JSON line: {"client":"jdk-httpclient-<mode>","java":..,"n":..,"c":..,"seconds":..,"itemsPerSec":..,
 *   "p50Ms":..,"p99Ms":..,"errors":..,"cpuSeconds":..}
 */
public class JdkClient {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: JdkClient <baseUrl> <N> <C> [warmup] [async|threads]");
            System.exit(2);
        }
        String baseUrl = args[0];
        int n = Integer.parseInt(args[1]);
        int c = Integer.parseInt(args[2]);
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        String mode = args.length > 4 ? args[4] : "async";

        HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
        Caller caller = mode.equals("threads") ? new ThreadPoolCaller(client, c) : new SemaphoreCaller(client, c);

        if (warmup > 0) {
            caller.run(baseUrl, warmup, new long[warmup]);
        }
        long[] latencies = new long[n];
        long cpuBefore = processCpuNanos();
        long t0 = System.nanoTime();
        int errors = caller.run(baseUrl, n, latencies);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        caller.close();

        Arrays.sort(latencies);
        System.out.println(String.format(Locale.ROOT,
            "{\"client\":\"jdk-httpclient-%s\",\"java\":\"%s\",\"n\":%d,\"c\":%d,\"seconds\":%.3f,"
                + "\"itemsPerSec\":%.1f,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"errors\":%d,\"cpuSeconds\":%.2f}",
            mode, Runtime.version().feature(), n, c, seconds, n / seconds,
            percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6, errors, cpuSeconds));
        System.exit(0);
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    static HttpRequest request(String baseUrl, int k) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/i-" + k))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"i-" + k + "\"}"))
            .build();
    }

    interface Caller extends AutoCloseable {
        /** Runs n calls, stores each call's latency (ns), returns the number of failed calls. */
        int run(String baseUrl, int n, long[] latencies) throws InterruptedException;

        @Override
        default void close() {
        }
    }

    record SemaphoreCaller(HttpClient client, int c) implements Caller {
        @Override
        public int run(String baseUrl, int n, long[] latencies) throws InterruptedException {
            Semaphore permits = new Semaphore(c);
            CountDownLatch done = new CountDownLatch(n);
            AtomicInteger errors = new AtomicInteger();
            for (int k = 0; k < n; k++) {
                permits.acquire();
                int slot = k;
                long start = System.nanoTime();
                client.sendAsync(request(baseUrl, k), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((res, err) -> {
                        latencies[slot] = System.nanoTime() - start;
                        if (err != null || res.statusCode() >= 300) {
                            errors.incrementAndGet();
                        }
                        permits.release();
                        done.countDown();
                    });
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("calls did not finish within 10 minutes");
            }
            return errors.get();
        }
    }

    static final class ThreadPoolCaller implements Caller {
        private final HttpClient client;
        private final ExecutorService pool;

        ThreadPoolCaller(HttpClient client, int c) {
            this.client = client;
            this.pool = Executors.newFixedThreadPool(c);
        }

        @Override
        public int run(String baseUrl, int n, long[] latencies) throws InterruptedException {
            CountDownLatch done = new CountDownLatch(n);
            AtomicInteger errors = new AtomicInteger();
            for (int k = 0; k < n; k++) {
                int slot = k;
                pool.execute(() -> {
                    long start = System.nanoTime();
                    try {
                        if (client.send(request(baseUrl, slot), HttpResponse.BodyHandlers.ofString()).statusCode() >= 300) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    } finally {
                        latencies[slot] = System.nanoTime() - start;
                        done.countDown();
                    }
                });
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("calls did not finish within 10 minutes");
            }
            return errors.get();
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
