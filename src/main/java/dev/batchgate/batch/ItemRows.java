package dev.batchgate.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.store.StoredItem;

/** The one translation between a batch item and its job-store row, which holds the id and params as JSON text. */
public final class ItemRows {

    private ItemRows() {
    }

    /** The row of an item that has not run yet. */
    public static StoredItem pending(BatchItem item) {
        return new StoredItem(item.index(), item.id().toString(), item.params() == null ? null : item.params().toString(),
                ItemStatus.PENDING, null);
    }

    /** The item a row holds, its id exactly as the caller gave it. */
    public static BatchItem item(StoredItem row) {
        return new BatchItem(row.index(), Json.read(row.idJson()),
                row.paramsJson() == null ? null : (ObjectNode) Json.read(row.paramsJson()));
    }
}
