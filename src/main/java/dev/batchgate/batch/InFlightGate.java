package dev.batchgate.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * Bounds the items of one batch phase: at most {@code limit} hold a call slot (are calling), and at
 * most {@code 2 × limit} are taken from the store, so that up to {@code limit} wait ready for a slot.
 * The limit is read live: a concurrency change on the target applies to running batches at once.
 * <p>
 * An item that leaves hands its slot straight to the item that waited longest, on the leaving
 * thread: when a call's answer comes in, the next item's call leaves from the same event loop at
 * once, instead of waking the split's thread, which would then queue the call behind every other
 * answer on that loop (half a millisecond per item at 100 in flight). The split's thread only refills
 * the ready items, a quarter of the limit at a time. An item leaves after the stop rules saw its
 * result, so no item starts past a stop (fail-fast, a transaction's first failure).
 * <p>
 * Bounding the items taken is what keeps the split from reading a million-item batch ahead of its
 * responses. Camel's parallel split asks the iterator for the next item ({@code hasNext}) before it
 * submits the item it has just taken ({@code next}). So an item is counted when taken, and
 * {@link #awaitRoom()} waits only while more than the bound are out: the one the asking task still
 * holds is not submitted yet.
 */
final class InFlightGate {

    private static final CompletableFuture<Void> GO = CompletableFuture.completedFuture(null);
    /** A slot handed on inside a delivery waits its turn: a chain of items done at once does not nest. */
    private static final Trampoline DELIVERIES = new Trampoline();

    private final IntSupplier limit;
    private final ArrayDeque<CompletableFuture<Void>> waitingForSlot = new ArrayDeque<>();
    private int taken;
    private int calling;
    private boolean refilling;
    private boolean open = true;

    InFlightGate(IntSupplier limit) {
        this.limit = limit;
    }

    /**
     * Waits until another item may be taken; false once the gate is closed (the phase is stopping).
     * Once it had to wait, it waits on until a quarter of the limit can be taken at once.
     */
    synchronized boolean awaitRoom() {
        int limit = this.limit.getAsInt();
        if (taken <= maxTaken(limit)) {
            return open;
        }
        refilling = true;
        while (open && taken > refillFrom(limit)) {
            try {
                wait(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                refilling = false;
                return false;
            }
            limit = this.limit.getAsInt();
        }
        refilling = false;
        return open;
    }

    /** The most items taken at once: as many calling as the limit allows, as many again ready. */
    private static int maxTaken(int limit) {
        return 2 * limit;
    }

    /** Once the split had to wait, it takes items again when a quarter of the limit can be taken at once. */
    private static int refillFrom(int limit) {
        return maxTaken(limit) - Math.max(1, limit / 4);
    }

    /** Counts an item taken. */
    synchronized void enter() {
        taken++;
    }

    /**
     * An item taken is done with (its result folded into the summary, after the stop rules): its
     * call slot goes to the item that waited longest (more than one if the limit grew), on this thread.
     */
    void leave() {
        List<CompletableFuture<Void>> granted = new ArrayList<>(1);
        synchronized (this) {
            taken--;
            calling--;
            int limit = this.limit.getAsInt();
            while (!waitingForSlot.isEmpty() && (!open || calling < limit)) {
                calling++;
                granted.add(waitingForSlot.poll());
            }
            if (refilling && taken <= refillFrom(limit)) {
                notifyAll();
            }
        }
        granted.forEach(InFlightGate::deliver);
    }

    /** A call slot: at once while fewer than the limit are calling, else when an item leaves (or the gate closes). */
    CompletableFuture<Void> callSlot() {
        synchronized (this) {
            if (!open || (waitingForSlot.isEmpty() && calling < limit.getAsInt())) {
                calling++;
                return GO;
            }
            CompletableFuture<Void> slot = new CompletableFuture<>();
            waitingForSlot.add(slot);
            return slot;
        }
    }

    /** No more items are taken; items waiting for a slot go on (they find the phase stopped). */
    void close() {
        List<CompletableFuture<Void>> slots;
        synchronized (this) {
            open = false;
            notifyAll();
            slots = new ArrayList<>(waitingForSlot);
            waitingForSlot.clear();
            calling += slots.size();
        }
        slots.forEach(InFlightGate::deliver);
    }

    /** Completes {@code slot} on this thread, after the slots it is already delivering. */
    private static void deliver(CompletableFuture<Void> slot) {
        DELIVERIES.run(() -> slot.complete(null));
    }
}
