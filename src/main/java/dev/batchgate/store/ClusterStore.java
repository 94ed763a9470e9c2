package dev.batchgate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The nodes of a cluster on one database. Every time here is the database's clock, never a node's own:
 * the nodes' clocks may disagree, the database's is one.
 */
public interface ClusterStore {

    /** A node as the database last saw it. */
    record Node(String id, String address, Instant startedAt, Instant lastSeenAt, int inFlight) {
    }

    /** Records {@code nodeId} as started and seen now, replacing a row an earlier start under that id left. */
    void join(String nodeId, String address, int inFlight);

    /** Marks the node seen now; false when its row is gone (the others took it for dead): it must join again. */
    boolean heartbeat(String nodeId, int inFlight);

    /** The nodes seen within {@code deadAfter}, oldest start first. */
    List<Node> liveNodes(Duration deadAfter);

    /** Removes the rows of nodes not seen for {@code deadAfter}; returns their ids. */
    List<String> removeDead(Duration deadAfter);

    /**
     * Takes the lease {@code name} for {@code nodeId}, or keeps it, unless another node holds it whose row
     * is still there; true when {@code nodeId} holds it now. A node whose own row is gone holds nothing.
     */
    boolean holdLease(String name, String nodeId);

    /** Removes the node's row (a clean shutdown). */
    void leave(String nodeId);
}
