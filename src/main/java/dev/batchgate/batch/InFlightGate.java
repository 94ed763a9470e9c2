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

    /**
     * Waits for a free place, or until the gate closes (the batch is stopping), and takes it: an
     * item let through a closed gate still leaves it, as it ends cancelled without a call.
     */
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
