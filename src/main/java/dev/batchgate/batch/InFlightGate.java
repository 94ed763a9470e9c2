package dev.batchgate.batch;

import java.util.function.IntSupplier;

/**
 * Bounds the items of one batch in flight. The limit is read live, so a concurrency change on the
 * target applies to running batches at once. Bounding here, before an item is read, is also what
 * keeps the split from reading a million-item batch ahead of its responses.
 */
final class InFlightGate {

    private final IntSupplier limit;
    private int inFlight;
    private boolean open = true;

    InFlightGate(IntSupplier limit) {
        this.limit = limit;
    }

    /** Takes a place, waiting for a free one while the gate is open; a closed gate (the batch is stopping) lets in at once. */
    synchronized void enter() {
        while (open && inFlight >= limit.getAsInt()) {
            try {
                wait(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
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
