package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.store.StoredItem;
import org.junit.jupiter.api.Test;

class ItemRowsTest {

    @Test
    void should_store_an_item_as_a_pending_row_and_read_it_back_when_it_is_resumed() {
        BatchItem item = new BatchItem(5, Json.read("42"), (ObjectNode) Json.read("{\"zone\":\"eu\"}"));

        StoredItem row = ItemRows.pending(item);

        assertThat(row).isEqualTo(new StoredItem(5, "42", "{\"zone\":\"eu\"}", ItemStatus.PENDING, null));
        assertThat(ItemRows.item(row)).isEqualTo(item);
    }

    @Test
    void should_keep_a_text_id_apart_from_an_integer_id_when_params_are_absent() {
        StoredItem row = ItemRows.pending(new BatchItem(0, Json.read("\"42\""), null));

        BatchItem back = ItemRows.item(row);

        assertThat(row.idJson()).isEqualTo("\"42\"");
        assertThat(row.paramsJson()).isNull();
        assertThat(back.id().isTextual()).isTrue();
        assertThat(back.params()).isNull();
    }
}
