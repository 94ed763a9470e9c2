package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.target.CallOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LlmAnswerTest {

    private static LlmAnswer answer(int status, String body, Duration retryAfter) {
        return LlmAnswer.of(CallOutcome.ofStatus(status, Json.readLenient(body), retryAfter));
    }

    private static String completion(String content, String finishReason) {
        return "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + Json.write(content)
                + "},\"finish_reason\":\"" + finishReason + "\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34}}";
    }

    @Test
    void should_read_content_and_usage_when_the_call_succeeds() {
        LlmAnswer answer = answer(200, completion("Chapter one begins.", "stop"), null);

        assertThat(answer.kind()).isEqualTo(LlmAnswer.Kind.SUCCEEDED);
        assertThat(answer.content()).isEqualTo("Chapter one begins.");
        assertThat(answer.data()).isNull();
        assertThat(answer.inputTokens()).isEqualTo(12);
        assertThat(answer.outputTokens()).isEqualTo(34);
    }

    @Test
    void should_parse_the_content_as_json_when_it_is_json_also_inside_a_fence() {
        JsonNode plain = answer(200, completion("{\"description\": \"a cat\"}", "stop"), null).data();
        JsonNode fenced = answer(200, completion("```json\n{\"description\": \"a cat\"}\n```", "stop"), null).data();
        JsonNode bareFence = LlmAnswer.parseData("```\n[1, 2]\n```");

        assertThat(plain.path("description").asText()).isEqualTo("a cat");
        assertThat(fenced).isEqualTo(plain);
        assertThat(bareFence.size()).isEqualTo(2);
        assertThat(LlmAnswer.parseData("Here is {not json")).isNull();
    }

    @Test
    void should_join_text_parts_when_content_is_a_list() {
        String body = "{\"choices\":[{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}}]}";

        assertThat(answer(200, body, null).content()).isEqualTo("ab");
    }

    @Test
    void should_be_a_quota_refusal_with_its_retry_after_when_the_status_is_429() {
        LlmAnswer answer = answer(429, "{\"error\":{\"message\":\"Too many requests\"}}", Duration.ofSeconds(7));

        assertThat(answer.kind()).isEqualTo(LlmAnswer.Kind.QUOTA);
        assertThat(answer.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(answer.error()).isEqualTo("HTTP 429: Too many requests");
    }

    @Test
    void should_be_a_quota_refusal_when_an_error_body_says_resource_exhausted() {
        String gemini = "[{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
                + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
                + "\"retryDelay\":\"27s\"}]}}]";

        LlmAnswer answer = answer(403, gemini, null);

        assertThat(answer.kind()).isEqualTo(LlmAnswer.Kind.QUOTA);
        assertThat(answer.retryAfter()).isEqualTo(Duration.ofSeconds(27));
        assertThat(answer.error()).isEqualTo("HTTP 403: Resource has been exhausted (e.g. check quota).");
    }

    @Test
    void should_be_a_quota_refusal_when_a_2xx_body_is_an_insufficient_quota_error() {
        LlmAnswer answer = answer(200, "{\"error\":{\"code\":\"insufficient_quota\",\"message\":\"You exceeded your current quota\"}}",
                null);

        assertThat(answer.kind()).isEqualTo(LlmAnswer.Kind.QUOTA);
    }

    @Test
    void should_succeed_when_the_generated_text_merely_mentions_a_rate_limit() {
        LlmAnswer answer = answer(200, completion("The API said: rate limit exceeded. Retry later.", "stop"), null);

        assertThat(answer.kind()).isEqualTo(LlmAnswer.Kind.SUCCEEDED);
    }

    @Test
    void should_fail_without_rotation_when_the_request_is_bad() {
        LlmAnswer answer = answer(400, "{\"error\":{\"message\":\"max_tokens is too large\"}}", null);

        assertThat(answer.kind()).isEqualTo(LlmAnswer.Kind.FAILED);
        assertThat(answer.error()).isEqualTo("HTTP 400: max_tokens is too large");
    }

    @Test
    void should_fail_when_the_answer_is_malformed_or_filtered() {
        assertThat(answer(200, "<html>oops</html>", null).error()).contains("malformed answer");
        assertThat(answer(200, "{\"id\":\"x\"}", null).error()).contains("no choices[0]");
        assertThat(answer(200, "{\"choices\":[{\"message\":{\"content\":null}}]}", null).error()).contains("not text");
        LlmAnswer filtered = answer(200, completion("", "content_filter"), null);
        assertThat(filtered.kind()).isEqualTo(LlmAnswer.Kind.FAILED);
        assertThat(filtered.error()).contains("content_filter");
        assertThat(filtered.inputTokens()).isEqualTo(12);
    }

    @Test
    void should_be_retryable_when_the_server_fails_or_times_out() {
        assertThat(answer(503, "{\"error\":{\"message\":\"The model is overloaded\"}}", null).kind()).isEqualTo(LlmAnswer.Kind.RETRYABLE);
        assertThat(LlmAnswer.of(CallOutcome.retryable("timed out after 500 ms")).error()).isEqualTo("timed out after 500 ms");
    }
}
