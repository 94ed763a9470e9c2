package dev.batchgate.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.batch.BatchStatus;
import dev.batchgate.batch.ItemStatus;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The durable state of batches: each batch, its items with their results, and the idempotency keys
 * that name them. An item is addressed by its batch and its index (its place in the batch). Every call
 * is durable when it returns; a failing database throws {@link StoreException}.
 */
public interface JobStore extends AutoCloseable {

    /** Whether the database answers now (the health check). */
    boolean isReachable();

    /** Stores a new batch, its items and (optionally) its idempotency key in one transaction. */
    void createBatch(BatchRecord batch, Iterator<StoredItem> items, IdempotencyRecord idempotency);

    /**
     * Appends items to an existing batch (a file read in chunks) and raises its total. An id that an
     * earlier chunk already stored is a {@link StoreException#isConstraintViolation}, and nothing of the
     * chunk is stored.
     */
    void appendItems(String batchId, List<StoredItem> items);

    /** The key's record if it was stored at or after {@code notBefore} (epoch ms). */
    Optional<IdempotencyRecord> findIdempotencyKey(String key, long notBefore);

    int deleteIdempotencyKeysBefore(long before);

    Optional<BatchRecord> findBatch(String id);

    /** Newest first. Null filters are ignored. */
    List<BatchRecord> listBatches(BatchStatus status, String target, int limit);

    /**
     * Cluster mode from now on: this store runs batches as node {@code nodeId}. A batch it creates or
     * claims is that node's, under a claim token of its own, and every write for the batch is made under
     * that token: once another node has taken the batch over, they change nothing.
     */
    void runAs(String nodeId);

    /**
     * The unfinished batches this node is to run, oldest first, claimed for it. On a single node, every
     * batch a crash or a shutdown left pending or running; in a cluster, those whose node is not live
     * (dead, or never set) and this node's own that it does not run now. Never one of {@code runningHere},
     * nor a batch still being filled from a file (the file drop goes on with it).
     */
    List<Claim> claimUnfinished(Set<String> runningHere);

    /**
     * Claims one unfinished batch for this node, unless another live node holds it: true when this node
     * holds it now (always on a single node). For a file batch a node that died left half read.
     */
    boolean claim(String batchId);

    /** This node no longer runs the batch (it finished, or stopped here): its claim is forgotten. */
    void release(String batchId);

    /** Asks the node that runs the unfinished batch to cancel it; false when it is finished or unknown. */
    boolean requestCancel(String batchId);

    /** The unfinished batches this node runs whose cancel was asked for, on any node. */
    List<String> cancelsRequested();

    void markStarted(String id, long startedAt);

    void finishBatch(String id, BatchStatus status, String reason, BatchRecord.Counts counts, long finishedAt, ObjectNode extra);

    /**
     * Records the phase a batch is entering; a restart resumes there. {@code reason} and {@code extra}
     * are written when given (a rollback keeps why it started and the stage tallies it started from).
     */
    void enterPhase(String batchId, String phase, String reason, ObjectNode extra);

    Optional<String> findPhase(String batchId);

    /** Writes results; rows of a batch that is no longer stored are dropped. */
    void saveResults(List<ResultRow> rows);

    /** Items whose status is one of {@code statuses}, by index, after {@code afterIndex}: a page of a resumable scan. */
    List<StoredItem> itemsWithStatus(String batchId, List<ItemStatus> statuses, int afterIndex, int limit);

    /** Items with {@code status} at {@code stage}, by index, after {@code afterIndex}: a page of one stage's scan. */
    List<StoredItem> itemsAtStage(String batchId, ItemStatus status, int stage, int afterIndex, int limit);

    /** How many items of a batch have each status at each stage. */
    List<StageCount> countByStatusAndStage(String batchId);

    /** How many items of a batch there are, or have {@code status} when it is not null. */
    int countItems(String batchId, ItemStatus status);

    /** Marks every item still in {@code fromStatuses} as {@code toStatus}; returns how many. */
    int markRemaining(String batchId, List<ItemStatus> fromStatuses, ItemStatus toStatus);

    /** A page of items in input order, optionally of one status, skipping {@code offset}. */
    List<StoredItem> items(String batchId, ItemStatus status, int offset, int limit);

    /** Streams the items of a batch in input order, a page at a time, without holding them all in memory. */
    void forEachItem(String batchId, ItemStatus status, Consumer<StoredItem> consumer);

    /**
     * A page of a batch's items in input order after {@code afterIndex}, optionally of one status, for a
     * reader that pages on its own; empty when the batch is not (or no longer) stored, so a batch deleted
     * part-way is told apart from its last page.
     */
    Optional<List<StoredItem>> itemsAfter(String batchId, ItemStatus status, int afterIndex, int limit);

    /** The last place in a batch's finish order that a stored result holds; 0 when none does. */
    int lastFinishSeq(String batchId);

    /** Items whose latest result is at a place in the finish order after {@code afterSeq} and up to {@code uptoSeq}, in that order. */
    List<FinishedItem> finishedBetween(String batchId, int afterSeq, int uptoSeq, int limit);

    /** Deletes a batch with its items, item ids and idempotency key. */
    void deleteBatch(String batchId);

    /** Deletes the batches finished before {@code before} (epoch ms); returns how many. */
    int deleteFinishedBefore(long before);

    @Override
    void close();

    /**
     * An item's result as the store keeps it: {@code resultJson} in the store's column format
     * ({@link ResultColumn}); {@code stage} moves an item of a chain on to its next stage (null leaves it
     * where it is); {@code finishSeq} is its place in the batch's finish order (0: none).
     */
    record ResultRow(String batchId, int index, ItemStatus status, String resultJson, Integer stage, int finishSeq) {
        public ResultRow(String batchId, int index, ItemStatus status, String resultJson, Integer stage) {
            this(batchId, index, status, resultJson, stage, 0);
        }

        public ResultRow(String batchId, int index, ItemStatus status, String resultJson) {
            this(batchId, index, status, resultJson, null);
        }
    }

    /** An item's latest result at its place in the finish order. */
    record FinishedItem(int finishSeq, String idJson, ItemStatus status) {
    }

    /** How many items of a batch have a status at a stage. */
    record StageCount(ItemStatus status, int stage, int count) {
    }

    /** A batch claimed for this node, and the node that ran it before (null: none, or this one). */
    record Claim(BatchRecord batch, String previousOwner) {
    }
}
