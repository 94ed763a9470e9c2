package dev.batchgate.trigger.file;

import dev.batchgate.cluster.ClusterNode;
import dev.batchgate.concurrent.DaemonThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node reads the inbox. On its own, the node does from its start. In a cluster the inbox is a
 * folder the nodes share, and one node at a time reads it: the one that holds the {@value #LEASE} lease
 * in the job store, so a dropped file is taken once. A node that takes the lease first cleans up what the
 * node before it left (its empty batches, its files in {@code .processing/}) and then starts the route;
 * when the others took it for dead it stops reading, and the lease goes to a live node within a second.
 */
public final class InboxReader {

    static final String LEASE = "inbox";
    private static final String ROUTE = "trigger-file-drop";
    private static final Logger LOG = LoggerFactory.getLogger(InboxReader.class);

    private final FileDrops drops;
    private final ClusterNode node;
    private final CamelContext context;
    /** Starts and stops the route in turn, off the node's heartbeat thread (a stop waits for the file being read). */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("inbox-reader"));
    private boolean reading;

    public InboxReader(FileDrops drops, ClusterNode node, CamelContext context) {
        this.drops = drops;
        this.node = node;
        this.context = context;
    }

    /**
     * Starts reading the inbox once this node holds the lease, or stops once another node does: at start,
     * and every second in a cluster. On its own the node reads at once, and a route that cannot start fails the start.
     */
    public synchronized void check() {
        boolean held = node.holdsLease(LEASE);
        if (held == reading) {
            return;
        }
        reading = held;
        if (node.clustered()) {
            worker.execute(held ? this::startReadingLogged : this::stopReading);
        } else {
            startReading();
        }
    }

    /** The others took this node for dead: the lease is no longer its own. */
    public synchronized void lost() {
        if (reading) {
            reading = false;
            worker.execute(this::stopReading);
        }
    }

    private void startReading() {
        if (node.clustered()) {
            LOG.info("cluster node {} holds the inbox lease: it reads the inbox now", node.id());
        }
        drops.removeOrphans();
        drops.recover();
        try {
            context.getRouteController().startRoute(ROUTE);
        } catch (Exception e) {
            throw new IllegalStateException("route " + ROUTE + " did not start: " + e.getMessage(), e);
        }
    }

    private void startReadingLogged() {
        try {
            startReading();
        } catch (RuntimeException e) {
            LOG.error("cluster node {} holds the inbox lease but cannot read the inbox: {}", node.id(), e.getMessage());
        }
    }

    private void stopReading() {
        LOG.warn("cluster node {} lost the inbox lease: it stops reading the inbox", node.id());
        try {
            context.getRouteController().stopRoute(ROUTE);
        } catch (Exception e) {
            LOG.warn("route {} did not stop: {}", ROUTE, e.getMessage());
        }
    }
}
