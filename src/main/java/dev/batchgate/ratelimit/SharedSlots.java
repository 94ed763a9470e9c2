package dev.batchgate.ratelimit;

import java.util.function.IntUnaryOperator;

/**
 * A target's concurrency as the nodes of a cluster share it: each node holds some of the target's slots
 * in the job store, and the slots the live nodes hold never add up to more than the concurrency. A node
 * may use what it holds; it takes its fair part of the slots the others do not hold, and gives back what
 * it no longer needs or what is fairly another's once its calls end.
 */
public interface SharedSlots {

    /**
     * Takes or gives back this node's slots of {@code target}, for {@code wanted} calls at once (its calls in
     * flight and waiting, at most {@code concurrency}), and returns how many it may have in flight from now
     * on. Within the one transaction, {@code lowerTo} is handed that number first: it lowers the node's limit
     * to it at most and answers the calls in flight then, which the node keeps holding until they end.
     */
    Share rebalance(String target, int concurrency, int wanted, IntUnaryOperator lowerTo);

    /**
     * What a node may have in flight; {@code contended} when the live nodes want more than the concurrency
     * together, so that the shares move as calls end and the node should rebalance again soon.
     */
    record Share(int allowed, boolean contended) {
    }
}
