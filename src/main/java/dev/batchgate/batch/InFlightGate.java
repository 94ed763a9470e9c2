package dev.batchgate.batch;

import java.util.function.IntSupplier;

/**
 * Bounds the items of one batch phase in flight. The limit is read live, so a concurrency change on
 * the target applies to running batches at once. Bounding here, before an item is read, is also what
 * keeps the split from reading a million-item batch ahead of its responses.
 * <p>
 * Camel's parallel split asks the iterator for the next item ({@code hasNext}) before it submits the
 * item it has just taken ({@code next}). So an item is counted when taken, and {@link #awaitRoom()}
 * waits only while more than the limit are out: the one the asking task still holds is not running
 * yet. Waiting for fewer would deadlock a batch of concurrency 1.
 */
final class InFlightGate {

    private final IntSupplier limit;
    private int inFlight;
    private boolean open = true;

    InFlightGate(IntSupplier limit) {
        this.limit = limit;
    }

    /** Waits until another item may be taken; false once the gate is closed (the phase is stopping). */
    synchronized boolean awaitRoom() {
        while (open && inFlight > limit.getAsInt()) {
            try {
                wait(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return open;
    }

    /** Counts an item taken. */
    synchronized void enter() {
        inFlight++;
    }

    synchronized void leave() {
        inFlight--;
        notifyAll();
    }

    synchronized void close() {
        open = false;
        notifyAll();
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
