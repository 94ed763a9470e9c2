package dev.batchgate.batch;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * What bounds a batch's items in flight ({@code routes/batch-run.camel.yaml}): the split takes each item
 * through {@link #admit}, which waits for room before it hands one out, so that the split never reads
 * the store ahead of the answers; {@code item-slot} waits for one of the phase's call slots (at most
 * the batch's effective concurrency call at once); {@code item-release} gives the item's place back
 * once its outcome is folded and the stop rules saw it. The bound itself is the current phase's
 * {@link InFlightGate}, kept by the {@link BatchRun} each exchange carries.
 */
public final class ItemSlots {

    /** The split's items: the phase's items in the body, each handed out once there is room for it. */
    public Iterator<WorkItem> admit(Exchange exchange) {
        BatchRun run = runOf(exchange);
        @SuppressWarnings("unchecked")
        Iterator<WorkItem> items = exchange.getMessage().getBody(Iterator.class);
        return new Iterator<>() {
            private boolean ready;

            @Override
            public boolean hasNext() {
                if (ready) {
                    return true;
                }
                // the task asking may hold an item it has not submitted yet: room for it comes first, last item or not
                if (!run.awaitRoom()) {
                    return false;
                }
                ready = items.hasNext();
                return ready;
            }

            @Override
            public WorkItem next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                WorkItem item = items.next();
                run.enterItem();
                return item;
            }
        };
    }

    /** {@code item-slot}: completes once the item holds a call slot; waiting holds no thread. */
    public AsyncProcessor await() {
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                CompletableFuture<Void> slot = runOf(exchange).callSlot();
                if (slot.isDone()) {
                    callback.done(true);
                    return true;
                }
                slot.whenComplete((go, e) -> callback.done(false));
                return false;
            }
        };
    }

    /** {@code item-release}: the item's place goes to the item that waited longest, and the listeners hear of it. */
    public Processor release() {
        return exchange -> {
            BatchRun run = runOf(exchange);
            ItemResult result = exchange.getMessage().getBody(ItemResult.class);
            if (run != null && result != null && ItemSteps.Progress.reach(exchange, ItemSteps.Progress.RELEASED)) {
                run.itemReleased(result, exchange.getProperty(BatchFlow.FINISH_SEQ_PROPERTY, 0, Integer.class));
            }
        };
    }

    private static BatchRun runOf(Exchange exchange) {
        return exchange.getProperty(BatchFlow.RUN_PROPERTY, BatchRun.class);
    }
}
