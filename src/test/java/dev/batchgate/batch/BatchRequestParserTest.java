package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchRequestParserTest {

    @Test
    void should_read_an_item_with_null_params_as_an_item_without_params() {
        List<BadRequestException.FieldError> errors = new ArrayList<>();

        BatchItem item = BatchRequestParser.item(0, Json.read("{\"id\":\"i-1\",\"params\":null}"), null, errors);

        assertThat(errors).isEmpty();
        assertThat(item.key()).isEqualTo("i-1");
        assertThat(item.params()).isNull();
    }

    @Test
    void should_name_the_item_when_its_params_are_not_an_object() {
        List<BadRequestException.FieldError> errors = new ArrayList<>();

        BatchItem item = BatchRequestParser.item(3, Json.read("{\"id\":\"i-1\",\"params\":[1]}"), null, errors);

        assertThat(item).isNull();
        assertThat(errors).containsExactly(new BadRequestException.FieldError("items[3].params", 3, "params must be an object"));
    }
}
