package dev.batchgate.cluster;

import dev.batchgate.concurrent.DaemonThreads;
import dev.batchgate.store.ClusterStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node and the others it shares the job store with. In cluster mode the node joins at start,
 * heartbeats every {@code heartbeat} with its items in flight, and removes the nodes not seen for
 * {@code deadAfter}, all on the database's clock; once its batches can run it does its duties every
 * second ({@link #startDuties}). On its own it is a cluster of one that writes nothing.
 * <p>
 * Whether its claims surely hold ({@link #claimsHeld}) is the one thing it judges on its own clock,
 * and only to be safe: the others can find it dead only once {@code deadAfter} passed on the database's
 * clock since its last heartbeat landed, which was after this node sent it.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final String id;
    private final String address;
    private final IntSupplier inFlight;
    private final ClusterStore store;
    private final Duration deadAfter;
    private final Instant startedAt = Instant.now();
    private final Duration heartbeat;
    private final ScheduledExecutorService timer;
    /** When the last heartbeat that found this node's row was sent (System.nanoTime). */
    private volatile long lastBeatSent = System.nanoTime();
    private volatile Runnable claimsLost = () -> {
    };

    private ClusterNode(String id, String address, IntSupplier inFlight, ClusterStore store, Duration heartbeat, Duration deadAfter) {
        this.id = id;
        this.address = address;
        this.inFlight = inFlight;
        this.store = store;
        this.deadAfter = deadAfter;
        this.heartbeat = heartbeat;
        if (store == null) {
            timer = null;
            return;
        }
        if (heartbeat.isNegative() || heartbeat.isZero() || deadAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("batchgate.cluster.dead-after (" + deadAfter + ") must be at least twice "
                    + "batchgate.cluster.heartbeat (" + heartbeat + "), which must be positive");
        }
        store.join(id, address, 0);
        LOG.info("cluster node {} ({}) joined; heartbeat every {}, a node unseen for {} is dead", id, address, heartbeat, deadAfter);
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cluster-heartbeat"));
        timer.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A node on its own: nothing to share, nothing written. */
    public static ClusterNode single(String id, String address, IntSupplier inFlight) {
        return new ClusterNode(id, address, inFlight, null, null, null);
    }

    /** A node of the cluster on {@code store}: joins now and heartbeats until closed. */
    public static ClusterNode joining(ClusterStore store, String id, String address, IntSupplier inFlight, Duration heartbeat,
            Duration deadAfter) {
        return new ClusterNode(id, address, inFlight, store, heartbeat, deadAfter);
    }

    public String id() {
        return id;
    }

    public boolean clustered() {
        return store != null;
    }

    /** The live nodes, this one included; on its own, this node seen now. */
    public List<ClusterStore.Node> nodes() {
        if (store == null) {
            return List.of(new ClusterStore.Node(id, address, startedAt, Instant.now(), inFlight.getAsInt()));
        }
        return store.liveNodes(deadAfter);
    }

    /**
     * Starts the node's duties once its batches can run: {@code everySecond} (claim the batches no live
     * node runs, apply the cancels asked for elsewhere), and {@code claimsLost} when the others took this
     * node for dead (its runs stop: the batches may run elsewhere now). Nothing on a node on its own.
     */
    public void startDuties(Runnable everySecond, Runnable claimsLost) {
        if (timer == null) {
            return;
        }
        this.claimsLost = claimsLost;
        timer.scheduleWithFixedDelay(() -> {
            try {
                everySecond.run();
            } catch (RuntimeException e) {
                LOG.warn("cluster duties of node {} failed, trying again: {}", id, e.getMessage());
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Whether the others surely still take this node for live, so that the batches it claimed are its
     * own: its last heartbeat was sent less than {@code deadAfter - heartbeat} ago. Always on its own.
     */
    public boolean claimsHeld() {
        return timer == null || System.nanoTime() - lastBeatSent < deadAfter.minus(heartbeat).toNanos();
    }

    /** Whether this node holds the lease {@code name} now, taking it when no live node does; always on its own. */
    public boolean holdsLease(String name) {
        return store == null || store.holdLease(name, id);
    }

    /** One heartbeat; a failing store is logged and tried again at the next one. */
    void beat() {
        try {
            long sent = System.nanoTime();
            if (store.heartbeat(id, inFlight.getAsInt())) {
                lastBeatSent = sent;
            } else {
                LOG.warn("cluster node {} was taken for dead by the others (not seen for {}): its runs stop, and it joins again",
                        id, deadAfter);
                claimsLost.run();
                store.join(id, address, inFlight.getAsInt());
                lastBeatSent = sent;
            }
            for (String dead : store.removeDead(deadAfter)) {
                LOG.warn("cluster node {} not seen for {}: removed by node {}", dead, deadAfter, id);
            }
        } catch (RuntimeException e) {
            LOG.warn("cluster heartbeat of node {} failed, trying again: {}", id, e.getMessage());
        }
    }

    /** Stops heartbeating and leaves the cluster, so the others need not wait for it to be found dead. */
    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            // a heartbeat under way would otherwise join the node again right after it left
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.leave(id);
            LOG.info("cluster node {} left", id);
        } catch (RuntimeException e) {
            LOG.warn("cluster node {} could not leave, the others will find it dead: {}", id, e.getMessage());
        }
    }
}
