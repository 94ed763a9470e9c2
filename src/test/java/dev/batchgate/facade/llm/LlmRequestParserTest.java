package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.batchgate.batch.BadRequestException;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.BatchSpec;
import dev.batchgate.json.Json;
import org.junit.jupiter.api.Test;

class LlmRequestParserTest {

    private final LlmRequestParser parser = new LlmRequestParser("llm", 100, () -> 4);

    private BadRequestException refused(String json) {
        return catchThrowableOfType(BadRequestException.class, () -> parser.parse(Json.read(json)));
    }

    @Test
    void should_make_a_batch_of_the_llm_target_with_prompts_as_item_params_when_the_request_is_valid() {
        BatchRequestParser.Parsed parsed = parser.parse(Json.read("""
                {"operation": "GENERATE_SCRIPT", "temperature": 0.7, "maxTokens": 800, "metadata": {"projectId": "proj_123"},
                 "items": [{"id": 1, "prompt": "Create outline for chapter 1"},
                           {"id": "c-2", "messages": [{"role": "system", "content": "Be brief"}, {"role": "user", "content": "Hi"}]}]}
                """));

        BatchSpec spec = parsed.spec();
        assertThat(spec.target()).isEqualTo("llm");
        assertThat(spec.operations()).containsExactly("GENERATE_SCRIPT");
        assertThat(spec.mode()).isEqualTo(BatchSpec.Mode.ASYNC);
        assertThat(spec.concurrency()).isEqualTo(4);
        assertThat(spec.params().path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(spec.params().path("maxTokens").asInt()).isEqualTo(800);
        assertThat(spec.metadata().path("projectId").asText()).isEqualTo("proj_123");
        assertThat(parsed.items().get(0).id().isInt()).isTrue();
        assertThat(parsed.items().get(0).params().path("prompt").asText()).isEqualTo("Create outline for chapter 1");
        assertThat(parsed.items().get(1).params().path("messages").size()).isEqualTo(2);
    }

    @Test
    void should_keep_the_requested_concurrency_when_one_is_given() {
        BatchSpec spec = parser.parse(Json.read("{\"operation\": \"X\", \"concurrency\": 8, \"mode\": \"sync\", "
                + "\"items\": [{\"id\": 1, \"prompt\": \"p\"}]}")).spec();

        assertThat(spec.concurrency()).isEqualTo(8);
        assertThat(spec.mode()).isEqualTo(BatchSpec.Mode.SYNC);
    }

    @Test
    void should_name_each_field_and_item_index_when_the_request_is_bad() {
        BadRequestException e = refused("""
                {"operation": "", "temperature": 3, "maxTokens": 0, "mode": "later", "metadata": [], "extra": 1,
                 "items": [{"id": 1, "prompt": "ok"}, {"id": 1, "prompt": "dup"}, {"id": 2}, {"id": 3, "prompt": "p", "messages": []},
                           {"id": 4, "messages": [{"role": "robot", "content": 5}]}, {"id": "", "prompt": "x"}, "just a string",
                           {"id": 8, "prompt": "x", "model": "gpt"}]}
                """);

        assertThat(e.kind()).isEqualTo(BadRequestException.Kind.INVALID);
        assertThat(e.details()).extracting(BadRequestException.FieldError::field).contains("operation", "temperature",
                "maxTokens", "mode", "metadata", "extra", "items[1].id", "items[2]", "items[3]", "items[4].messages[0].role",
                "items[4].messages[0].content", "items[5].id", "items[6]", "items[7].model");
        assertThat(e.details()).filteredOn(d -> d.field().equals("items[1].id"))
                .singleElement().satisfies(d -> {
                    assertThat(d.index()).isEqualTo(1);
                    assertThat(d.message()).isEqualTo("duplicate id '1'");
                });
    }

    @Test
    void should_refuse_with_413_when_there_are_more_items_than_allowed() {
        LlmRequestParser small = new LlmRequestParser("llm", 1, () -> 4);

        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> small.parse(Json.read(
                "{\"operation\": \"X\", \"items\": [{\"id\": 1, \"prompt\": \"a\"}, {\"id\": 2, \"prompt\": \"b\"}]}")));

        assertThat(e.kind()).isEqualTo(BadRequestException.Kind.TOO_LARGE);
    }

    @Test
    void should_refuse_a_deadline_beyond_a_year_as_the_generic_api_does() {
        BadRequestException e = refused("{\"operation\": \"X\", \"deadline\": \"400d\", \"items\": [{\"id\": 1, \"prompt\": \"p\"}]}");

        assertThat(e.details()).extracting(BadRequestException.FieldError::message)
                .containsExactly("deadline must be a duration such as \"30s\" or \"10m\", at most 365d");
    }
}
