package dev.batchgate.facade.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.target.CallOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one chat-completions call answered, sorted the way the pool needs it: an answer, a quota
 * refusal (429, or an error body that says the quota or rate limit is used up: rotate), a server
 * problem worth a retry, or a failure of this item (a 400, filtered content, a malformed answer:
 * another model would not do better, so no rotation).
 */
public record LlmAnswer(
        Kind kind,
        Integer httpStatus,
        String content,
        JsonNode data,
        long inputTokens,
        long outputTokens,
        String error,
        Duration retryAfter) {

    public enum Kind { SUCCEEDED, QUOTA, RETRYABLE, FAILED }

    private static final List<String> QUOTA_MARKERS = List.of("resource_exhausted", "insufficient_quota",
            "rate_limit_exceeded", "exceeded your current quota", "quota exceeded", "rate limit exceeded");
    private static final Pattern RETRY_DELAY = Pattern.compile("\"retryDelay\"\\s*:\\s*\"(\\d+(?:\\.\\d+)?)s\"");
    private static final Pattern JSON_FENCE = Pattern.compile("^```[a-zA-Z]*\\s*\\n(.*?)\\n?```$", Pattern.DOTALL);

    public static LlmAnswer of(CallOutcome outcome) {
        JsonNode body = outcome.body();
        Integer status = outcome.httpStatus();
        long in = tokens(body, "prompt_tokens", "input_tokens");
        long out = tokens(body, "completion_tokens", "output_tokens");
        boolean answered = outcome.kind() == CallOutcome.Kind.SUCCEEDED;
        if (outcome.kind() == CallOutcome.Kind.RATE_LIMITED || isQuotaError(body) && (!answered || hasError(body))) {
            return new LlmAnswer(Kind.QUOTA, status, null, null, in, out, errorText(outcome), retryAfter(outcome));
        }
        if (!answered) {
            Kind kind = outcome.kind() == CallOutcome.Kind.RETRYABLE ? Kind.RETRYABLE : Kind.FAILED;
            return new LlmAnswer(kind, status, null, null, in, out, errorText(outcome), outcome.retryAfter());
        }
        if (body == null || !body.isObject()) {
            return failed(status, in, out, "malformed answer: the body is not a JSON object");
        }
        if (hasError(body)) {
            return failed(status, in, out, "the answer is an error: " + message(body));
        }
        JsonNode choice = body.path("choices").path(0);
        if (choice.isMissingNode()) {
            return failed(status, in, out, "malformed answer: no choices[0]");
        }
        if ("content_filter".equals(choice.path("finish_reason").asText())) {
            return failed(status, in, out, "the provider filtered the content (finish_reason content_filter)");
        }
        JsonNode message = choice.path("message");
        if (message.path("refusal").isTextual() && !message.path("refusal").asText().isBlank()) {
            return failed(status, in, out, "the model refused: " + message.path("refusal").asText());
        }
        String content = text(message.path("content"));
        if (content == null) {
            return failed(status, in, out, "malformed answer: choices[0].message.content is not text");
        }
        return new LlmAnswer(Kind.SUCCEEDED, status, content, parseData(content), in, out, null, null);
    }

    /** The content as JSON when it is JSON, also when wrapped in a ```json fence; null otherwise. */
    public static JsonNode parseData(String content) {
        String text = content.strip();
        Matcher fence = JSON_FENCE.matcher(text);
        if (fence.matches()) {
            text = fence.group(1).strip();
        }
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** An error body that says a quota or rate limit is used up (Gemini, OpenAI and the like word it so). */
    public static boolean isQuotaError(JsonNode body) {
        if (body == null) {
            return false;
        }
        String text = (body.isTextual() ? body.asText() : body.toString()).toLowerCase(Locale.ROOT);
        return QUOTA_MARKERS.stream().anyMatch(text::contains);
    }

    private static LlmAnswer failed(Integer status, long in, long out, String error) {
        return new LlmAnswer(Kind.FAILED, status, null, null, in, out, error, null);
    }

    private static boolean hasError(JsonNode body) {
        return body != null && (body.path("error").isObject() || body.path(0).path("error").isObject());
    }

    /** The message of an error body: {@code {error: {message}}}, Gemini's {@code [{error: {message}}]} or {@code {message}}. */
    private static String message(JsonNode body) {
        for (JsonNode candidate : new JsonNode[] {body.path("error").path("message"), body.path(0).path("error").path("message"),
                body.path("message"), body.path("error")}) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                String text = candidate.asText().strip();
                return text.length() > 300 ? text.substring(0, 300) + "…" : text;
            }
        }
        return null;
    }

    private static String errorText(CallOutcome outcome) {
        String detail = outcome.body() == null ? null : message(outcome.body());
        if (outcome.httpStatus() != null && detail != null) {
            return "HTTP " + outcome.httpStatus() + ": " + detail;
        }
        return outcome.error() != null ? outcome.error() : "HTTP " + outcome.httpStatus();
    }

    private static Duration retryAfter(CallOutcome outcome) {
        if (outcome.retryAfter() != null) {
            return outcome.retryAfter();
        }
        if (outcome.body() == null) {
            return null;
        }
        Matcher m = RETRY_DELAY.matcher(outcome.body().toString());
        return m.find() ? Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000)) : null;
    }

    private static long tokens(JsonNode body, String name, String alternative) {
        if (body == null) {
            return 0;
        }
        JsonNode usage = body.path("usage");
        JsonNode value = usage.has(name) ? usage.get(name) : usage.path(alternative);
        return value.canConvertToLong() ? Math.max(0, value.asLong()) : 0;
    }

    /** Message content is a string, or a list of parts whose {@code text} pieces make the string. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    text.append(part.path("text").asText());
                }
            }
            return text.length() == 0 ? null : text.toString();
        }
        return null;
    }
}
