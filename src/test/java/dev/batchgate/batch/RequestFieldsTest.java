package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.batchgate.batch.BadRequestException.FieldError;
import dev.batchgate.json.Json;
import dev.batchgate.target.TargetConfigParser;
import dev.batchgate.target.TargetRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {

    private final TargetRegistry targets = new TargetRegistry(TargetConfigParser.parse(Map.of(
            "batchgate.targets.t.url", "http://localhost",
            "batchgate.targets.t.operations.start", "POST /i/{id}/start")));
    private final List<FieldError> errors = new ArrayList<>();

    @Test
    void should_read_an_item_with_null_params_as_an_item_without_params() {
        BatchItem item = RequestFields.item(RequestFields.ItemPath.ITEMS, 0, Json.read("{\"id\":\"i-1\",\"params\":null}"), null,
                errors);

        assertThat(errors).isEmpty();
        assertThat(item.key()).isEqualTo("i-1");
        assertThat(item.params()).isNull();
    }

    @Test
    void should_name_the_item_when_its_params_are_not_an_object() {
        BatchItem item = RequestFields.item(RequestFields.ItemPath.ITEMS, 3, Json.read("{\"id\":\"i-1\",\"params\":[1]}"), null,
                errors);

        assertThat(item).isNull();
        assertThat(errors).containsExactly(new FieldError("items[3].params", 3, "params must be an object"));
    }

    @Test
    void should_merge_the_batch_params_under_the_items_own_when_both_are_given() {
        BatchItem item = RequestFields.item(RequestFields.ItemPath.ITEMS, 0, Json.read("{\"id\":7,\"params\":{\"a\":2}}"),
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.read("{\"a\":1,\"b\":1}"), errors);

        assertThat(item.id().isInt()).isTrue();
        assertThat(item.params()).isEqualTo(Json.read("{\"a\":2,\"b\":1}"));
    }

    @Test
    void should_report_the_id_at_the_callers_paths_when_the_item_is_bare_or_an_object() {
        RequestFields.ItemPath instances = new RequestFields.ItemPath("instanceIds", "");

        RequestFields.item(RequestFields.ItemPath.ITEMS, 0, Json.read("\"\""), null, errors);
        RequestFields.item(RequestFields.ItemPath.ITEMS, 1, Json.read("{\"id\":\"\"}"), null, errors);
        RequestFields.item(instances, 2, Json.read("{\"id\":\"\"}"), null, errors);
        RequestFields.item(instances, 3, Json.read("{\"id\":\"x\",\"extra\":1}"), null, errors);

        assertThat(errors).extracting(FieldError::field)
                .containsExactly("items[0]", "items[1].id", "instanceIds[2]", "instanceIds[3].extra");
    }

    @Test
    void should_word_an_id_problem_with_the_callers_name_when_one_is_given() {
        BatchItem item = RequestFields.id(4, Json.read("\"a\\u0000b\""), "device_configs[4].device_id", "device_id", errors);

        assertThat(item).isNull();
        assertThat(errors).containsExactly(new FieldError("device_configs[4].device_id", 4,
                "device_id contains a control character at position 1"));
    }

    @Test
    void should_refuse_ids_a_store_or_url_would_mangle_when_they_are_read() {
        List<String> problems = new ArrayList<>();
        for (String id : List.of("null", "{}", "\"\"", "\"..\"", "\"\\ud800\"", "18446744073709551616")) {
            List<FieldError> found = new ArrayList<>();
            RequestFields.id(0, Json.read(id), "items[0]", "id", found);
            problems.add(found.get(0).message());
        }

        assertThat(problems).containsExactly("id is required", "id must be a string or an integer", "id must not be empty",
                "id '..' is not allowed (a dot segment would change the path)",
                "id contains an invalid UTF-16 character at position 0", "integer id out of range");
    }

    @Test
    void should_report_each_repeated_id_with_its_index_and_where_it_came_first_when_asked() {
        RequestFields.SeenIds seen = new RequestFields.SeenIds();

        boolean first = seen.add(new BatchItem(0, Json.read("\"r1\""), null), "d[0].device_id", "device_id", i -> "d[" + i + "]", errors);
        boolean again = seen.add(new BatchItem(2, Json.read("\"r1\""), null), "d[2].device_id", "device_id", i -> "d[" + i + "]", errors);
        boolean sameText = seen.add(new BatchItem(3, Json.read("1"), null), "items[3].id", "id", null, errors);
        boolean intAgain = seen.add(new BatchItem(4, Json.read("\"1\""), null), "items[4].id", "id", null, errors);

        assertThat(List.of(first, again, sameText, intAgain)).containsExactly(true, false, true, false);
        assertThat(errors).containsExactly(new FieldError("d[2].device_id", 2, "duplicate device_id 'r1' (also d[0])"),
                new FieldError("items[4].id", 4, "duplicate id '1'"));
    }

    @Test
    void should_refuse_more_items_than_the_limit_as_too_large_when_counted() {
        RequestFields.itemCount(3, 3, "items", "items");

        BadRequestException detailed = catchThrowableOfType(BadRequestException.class,
                () -> RequestFields.itemCount(4, 3, "items", "items"));
        BadRequestException plain = catchThrowableOfType(BadRequestException.class,
                () -> RequestFields.itemCount(4, 3, "devices", null));
        BadRequestException worded = catchThrowableOfType(BadRequestException.class,
                () -> RequestFields.itemCount(4, 3, () -> "4 uuids, more than 3"));

        assertThat(detailed.kind()).isEqualTo(BadRequestException.Kind.TOO_LARGE);
        assertThat(detailed.getMessage()).isEqualTo("too many items: 4 (the limit is 3)");
        assertThat(detailed.details()).containsExactly(new FieldError("items", null, "at most 3 items"));
        assertThat(plain.getMessage()).isEqualTo("too many devices: 4 (the limit is 3)");
        assertThat(plain.details()).isEmpty();
        assertThat(worded.kind()).isEqualTo(BadRequestException.Kind.TOO_LARGE);
        assertThat(worded.getMessage()).isEqualTo("4 uuids, more than 3");
    }

    @Test
    void should_refuse_an_unknown_target_as_not_found_when_a_request_names_it() {
        assertThat(RequestFields.target(targets::find, "t", "target", null).name()).isEqualTo("t");

        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> RequestFields.target(targets::find, "nope", "target", "the folder inbox/nope/"));
        BadRequestException configured = catchThrowableOfType(BadRequestException.class,
                () -> RequestFields.configuredTarget(targets::find, "Coolify", "nope", "batchgate.targets.nope.url"));

        assertThat(e.kind()).isEqualTo(BadRequestException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("unknown target 'nope' (the folder inbox/nope/)");
        assertThat(e.details()).containsExactly(new FieldError("target", null, "unknown target 'nope'"));
        assertThat(configured.kind()).isEqualTo(BadRequestException.Kind.NOT_FOUND);
        assertThat(configured.getMessage()).isEqualTo("the Coolify target 'nope' is not configured (batchgate.targets.nope.url)");
        assertThat(configured.details()).isEmpty();
    }

    @Test
    void should_refuse_an_operation_the_target_lacks_as_not_found_when_it_is_named() {
        assertThat(RequestFields.operation(targets.find("t").orElseThrow(), "start", "operation", null).name()).isEqualTo("start");

        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> RequestFields.operation(targets.find("t").orElseThrow(), "stop", "steps[1].operation", null));
        BadRequestException configured = catchThrowableOfType(BadRequestException.class,
                () -> RequestFields.configuredOperation(targets.find("t").orElseThrow(), "stop", null));

        assertThat(e.kind()).isEqualTo(BadRequestException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("unknown operation 'stop' on target 't'");
        assertThat(e.details()).containsExactly(new FieldError("steps[1].operation", null, "unknown operation 'stop' on target 't'"));
        assertThat(configured.getMessage()).isEqualTo("target 't' has no operation 'stop'");
        assertThat(configured.details()).isEmpty();
    }
}
