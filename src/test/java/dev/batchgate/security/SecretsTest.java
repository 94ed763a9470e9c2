package dev.batchgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.LogCapture;
import dev.batchgate.testing.StubServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Header values, API keys and other configured secrets appear nowhere: not in /v1/targets, dry runs,
 * item errors and responses (even when the downstream echoes them), error answers, nor anywhere in
 * the log of the whole app run at DEBUG.
 */
class SecretsTest {

    private final String token = "tok-" + UUID.randomUUID();
    private final String headerKey = "hk-" + UUID.randomUUID();
    private final String apiKey = "ak-" + UUID.randomUUID();
    private final String llmKey = "llm-" + UUID.randomUUID();

    @Test
    void should_mask_every_configured_secret_in_answers_and_logs() {
        List<String> answers = new ArrayList<>();
        String log;
        // the downstream quotes the credentials it got, in errors and in successes
        try (StubServer stub = new StubServer().respond(r -> r.path().contains("/bad-")
                ? StubServer.Reply.json(400, "{\"error\":\"token " + r.header("Authorization") + " rejected\"}")
                : StubServer.Reply.json(200, "{\"seen\":\"" + r.header("X-Api-Key") + "\"}"));
                LogCapture capture = new LogCapture(true)) {
            try (BatchgateTestApp app = new BatchgateTestApp().with("batchgate.api-keys", apiKey)
                    .with("batchgate.llm.api-key", llmKey)
                    .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}", "retries", "0",
                            "headers.Authorization", "Bearer " + token, "headers.X-Api-Key", headerKey))
                    .start()) {
                Map<String, String> auth = Map.of("Authorization", "Bearer " + apiKey);
                answers.add(app.send(get(app, "/v1/targets").header("X-API-Key", apiKey)).text());
                answers.add(app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "dryRun", true,
                        "items", List.of("a")), auth).text());
                var sync = app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "mode", "sync",
                        "items", List.of("ok-1", "bad-2")), auth);
                answers.add(sync.text());
                String id = sync.json().path("id").asText();
                answers.add(app.send(get(app, "/v1/batches/" + id + "/results").header("X-API-Key", apiKey)).text());
                answers.add(app.send(get(app, "/v1/batches/" + id + "/results").header("X-API-Key", apiKey)
                        .header("Accept", "application/x-ndjson")).text());
                answers.add(app.send(get(app, "/v1/batches").header("Authorization", "Bearer " + token)).text());
                answers.add(app.post("/login", "{\"key\":\"" + token + "\"}").text());
                LoggerFactory.getLogger("dev.batchgate.test").warn("downstream said: token Bearer {} rejected", token);

                assertThat(sync.json().path("results").get(1).path("error").asText()).isEqualTo("HTTP 400: token *** rejected");
                assertThat(sync.json().path("results").get(0).path("response").path("seen").asText()).isEqualTo("***");
                assertThat(answers.get(0)).contains("\"Authorization\":\"***\"").contains("\"X-Api-Key\":\"***\"");
            }
            log = capture.text();
        }
        assertThat(log).contains("downstream said: token *** rejected").contains("batch ");
        for (String secret : List.of(token, headerKey, apiKey, llmKey)) {
            assertThat(answers).allSatisfy(answer -> assertThat(answer).doesNotContain(secret));
            assertThat(log).doesNotContain(secret);
        }
    }

    private static HttpRequest.Builder get(BatchgateTestApp app, String path) {
        return HttpRequest.newBuilder(URI.create(app.url(path))).GET();
    }
}
