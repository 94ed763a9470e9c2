package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.batchgate.json.Json;
import dev.batchgate.target.TargetConfigParser;
import dev.batchgate.target.TargetRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchRequestParserTest {

    private final BatchRequestParser parser = new BatchRequestParser(new TargetRegistry(TargetConfigParser.parse(Map.of(
            "batchgate.targets.t.url", "http://localhost",
            "batchgate.targets.t.operations.start", "POST /i/{id}/start"))), 3);

    @Test
    void should_report_a_repeated_id_at_its_items_id_field_when_an_item_is_given_twice() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> parser.parse(Json.read(
                "{\"target\": \"t\", \"operation\": \"start\", \"items\": [\"a\", {\"id\": \"b\"}, \"a\"]}"), "test"));

        assertThat(e.kind()).isEqualTo(BadRequestException.Kind.INVALID);
        assertThat(e.details()).containsExactly(new BadRequestException.FieldError("items[2].id", 2, "duplicate id 'a'"));
    }

    @Test
    void should_refuse_an_unknown_operation_as_not_found_at_its_field_when_the_target_lacks_it() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> parser.parse(Json.read(
                "{\"target\": \"t\", \"operation\": [\"start\", \"stop\"], \"items\": [\"a\"]}"), "test"));

        assertThat(e.kind()).isEqualTo(BadRequestException.Kind.NOT_FOUND);
        assertThat(e.details()).containsExactly(new BadRequestException.FieldError("operation[1]", null,
                "unknown operation 'stop' on target 't'"));
    }

    @Test
    void should_refuse_more_items_than_max_items_as_too_large_when_the_list_is_long() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> parser.parse(Json.read(
                "{\"target\": \"t\", \"operation\": \"start\", \"items\": [1, 2, 3, 4]}"), "test"));

        assertThat(e.kind()).isEqualTo(BadRequestException.Kind.TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("too many items: 4 (the limit is 3)");
    }
}
