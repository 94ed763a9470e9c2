package dev.batchgate.batch;

import org.apache.camel.Exchange;

/**
 * How far an item got through the steps after its call ({@code item-save}, {@code item-fold},
 * {@code item-release}), kept on its exchange. The error handler runs the same steps for an item
 * whose processing threw and skips those already done, so an item is never stored, counted or given
 * back twice, and its call slot always goes back. A result is saved once it is queued for the store;
 * a fold or a release counts as done once it began (it may have done half before it threw).
 */
enum ItemProgress {
    SAVED, FOLDED, RELEASED;

    private static final String PROPERTY = "batchgateItemProgress";

    static boolean reached(Exchange exchange, ItemProgress step) {
        ItemProgress done = exchange.getProperty(PROPERTY, ItemProgress.class);
        return done != null && done.compareTo(step) >= 0;
    }

    static void mark(Exchange exchange, ItemProgress step) {
        exchange.setProperty(PROPERTY, step);
    }

    /** Marks {@code step} reached; false when it already was. */
    static boolean reach(Exchange exchange, ItemProgress step) {
        if (reached(exchange, step)) {
            return false;
        }
        mark(exchange, step);
        return true;
    }
}
