package dev.batchgate.facade.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Reply;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An OpenAI-compatible chat-completions stub on a free port. Each model may have an RPM window of
 * its own (a call beyond it gets 429 with Retry-After, as a real provider answers) and a scripted
 * behaviour; prompts pick the answer: {@code malformed…} (a body that is not JSON), {@code
 * no-choices…}, {@code bad-request…} (400 echoing the Authorization header, as some providers do),
 * {@code filtered…} (finish_reason content_filter), {@code json…} (content wrapped in a ```json
 * fence), {@code slow:<ms>…} (answers after that delay). Anything else answers
 * {@code "answer to <prompt>"} with {@code prompt_tokens} = the prompt's length and
 * {@code completion_tokens} = 7.
 */
final class FakeLlm implements AutoCloseable {

    static final long OUTPUT_TOKENS = 7;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** One call as the stub saw it and what it answered. */
    record Call(String model, String prompt, int status, long atNanos, JsonNode request, String authorization) {
    }

    private final StubServer server = new StubServer();
    private final Map<String, Integer> rpm = new HashMap<>();
    private final Map<String, ArrayDeque<Long>> accepted = new HashMap<>();
    private final Map<String, Function<Call, Reply>> behaviours = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private Duration latency = Duration.ZERO;

    FakeLlm() {
        server.respond(this::answer);
    }

    String url() {
        return server.url() + "/v1";
    }

    /** The stub refuses calls to {@code model} beyond {@code limit} in any 60 s window. */
    synchronized FakeLlm rpm(String model, int limit) {
        rpm.put(model, limit);
        return this;
    }

    /** Calls to {@code model} get what {@code behaviour} says; a null reply falls back to the normal answer. */
    synchronized FakeLlm behave(String model, Function<Call, Reply> behaviour) {
        behaviours.put(model, behaviour);
        return this;
    }

    /** Every answer (429s aside) comes after {@code delay}, like a model generating text. */
    synchronized FakeLlm latency(Duration delay) {
        latency = delay;
        return this;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> calls(String model) {
        return calls.stream().filter(c -> c.model().equals(model)).toList();
    }

    synchronized List<Call> callsFor(String prompt) {
        return calls.stream().filter(c -> c.prompt().equals(prompt)).toList();
    }

    static Reply quota(int retryAfterSeconds) {
        return Reply.json(429, "[{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
                + "\"status\":\"RESOURCE_EXHAUSTED\"}}]").withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    static Reply quotaBody() {
        return Reply.json(403, "{\"error\":{\"code\":\"insufficient_quota\",\"message\":\"You exceeded your current quota\","
                + "\"details\":[{\"retryDelay\":\"30s\"}]}}");
    }

    static long inputTokens(String prompt) {
        return prompt.length();
    }

    private Reply answer(StubServer.Recorded recorded) {
        JsonNode request = Json.read(recorded.body());
        String model = request.path("model").asText();
        JsonNode messages = request.path("messages");
        String prompt = messages.path(messages.size() - 1).path("content").asText();
        Reply reply;
        synchronized (this) {
            reply = decide(model, prompt, recorded, request);
            calls.add(new Call(model, prompt, reply.status(), recorded.atNanos(), request, recorded.header("Authorization")));
        }
        return reply;
    }

    private Reply decide(String model, String prompt, StubServer.Recorded recorded, JsonNode request) {
        Integer limit = rpm.get(model);
        ArrayDeque<Long> window = accepted.computeIfAbsent(model, m -> new ArrayDeque<>());
        while (!window.isEmpty() && window.peekFirst() <= recorded.atNanos() - WINDOW_NANOS) {
            window.pollFirst();
        }
        if (limit != null && window.size() >= limit) {
            long waitNanos = window.peekFirst() + WINDOW_NANOS - recorded.atNanos();
            return quota((int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1));
        }
        Function<Call, Reply> behaviour = behaviours.get(model);
        if (behaviour != null) {
            Reply scripted = behaviour.apply(new Call(model, prompt, 0, recorded.atNanos(), request, recorded.header("Authorization")));
            if (scripted != null) {
                return scripted;
            }
        }
        window.addLast(recorded.atNanos());
        if (prompt.startsWith("malformed")) {
            return new Reply(200, "<html>upstream hiccup</html>", Map.of(), Duration.ZERO);
        }
        if (prompt.startsWith("no-choices")) {
            return Reply.json(200, "{\"id\":\"x\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":0}}");
        }
        if (prompt.startsWith("bad-request")) {
            return Reply.json(400, "{\"error\":{\"message\":\"Invalid request; key used: " + recorded.header("Authorization") + "\"}}");
        }
        if (prompt.startsWith("filtered")) {
            return Reply.json(200, completion(model, "", "content_filter", prompt));
        }
        String content = prompt.startsWith("json")
                ? "```json\n{\"description\": \"about " + prompt + "\", \"n\": 3}\n```"
                : "answer to " + prompt;
        Reply ok = Reply.json(200, completion(model, content, "stop", prompt));
        if (prompt.startsWith("slow:")) {
            return ok.after(Duration.ofMillis(Long.parseLong(prompt.substring(5).split("\\D")[0])));
        }
        return latency.isZero() ? ok : ok.after(latency);
    }

    private static String completion(String model, String content, String finishReason, String prompt) {
        ObjectNode body = Json.object();
        body.put("id", "chatcmpl-1");
        body.put("object", "chat.completion");
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        choice.put("finish_reason", finishReason);
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", inputTokens(prompt));
        usage.put("completion_tokens", OUTPUT_TOKENS);
        usage.put("total_tokens", inputTokens(prompt) + OUTPUT_TOKENS);
        return body.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
