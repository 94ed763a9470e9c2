package dev.batchgate.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which batch each dropped file became and how far it got. A batch being filled from a file is kept
 * from running (and from being resumed after a restart) until {@link #finishReading}.
 */
public interface FileDropStore {

    /** How far a file got: its items being read, all stored and the batch queued, its summary written. */
    enum State {
        READING, QUEUED, WRITTEN
    }

    /** A file drop as stored: {@code sourceName} is the path under the inbox, {@code workPath} where the file is read from. */
    record Drop(String batchId, String sourceName, String workPath, State state) {
    }

    /** Marks the new (empty, pending) batch as being filled from {@code workPath}. */
    void beginReading(String batchId, String sourceName, String workPath);

    /** Every item is stored: the batch may run. */
    void finishReading(String batchId);

    void markWritten(String batchId);

    /** Deletes the drop with its batch: a rejected file leaves nothing behind. */
    void deleteRejected(String batchId);

    /**
     * Removes file batches that a crash left between their creation and {@link #beginReading}: empty,
     * never started, with no drop. Their file is read again from the start; returns how many.
     */
    int deleteOrphans();

    /** The drop of a batch, or null. */
    Drop find(String batchId);

    /** The drop read from {@code workPath}, or null. */
    Drop findByWorkPath(String workPath);

    /** Oldest first. */
    List<Drop> withState(State state);

    /** Of {@code keys} (item ids by their text), those already stored in the batch, with the index each has there. */
    Map<String, Integer> storedKeys(String batchId, Collection<String> keys);
}
