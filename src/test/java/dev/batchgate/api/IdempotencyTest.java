package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on create: the same key and body is the same batch, another body is a conflict. */
class IdempotencyTest {

    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp()
                .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start"))
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    private static BatchgateTestApp.Response create(String key, String body) {
        return app.post("/v1/batches", body, Map.of("Idempotency-Key", key));
    }

    @Test
    void should_return_the_same_batch_with_its_status_code_when_the_same_key_and_body_come_again() {
        var first = create("key-async", "{\"target\":\"svc\",\"operation\":\"start\",\"items\":[\"idem-1\",\"idem-2\"]}");
        app.awaitFinished(first.json().path("id").asText());

        // equal parsed JSON: other key order and spacing
        var again = create("key-async", "{ \"items\": [\"idem-1\", \"idem-2\"], \"operation\": \"start\", \"target\": \"svc\" }");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertThat(again.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(stub.requests("/instances/idem-1/")).hasSize(1);
        assertThat(stub.requests("/instances/idem-2/")).hasSize(1);
    }

    @Test
    void should_answer_200_with_the_summary_again_when_a_sync_create_is_repeated() {
        String body = "{\"target\":\"svc\",\"operation\":\"start\",\"mode\":\"sync\",\"items\":[\"idem-sync-1\"]}";
        var first = create("key-sync", body);

        var again = create("key-sync", body);

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertThat(again.json().path("results")).hasSize(1);
        assertThat(stub.requests("/instances/idem-sync-")).hasSize(1);
    }

    @Test
    void should_answer_409_when_the_same_key_comes_with_another_body() {
        var first = create("key-conflict", "{\"target\":\"svc\",\"operation\":\"start\",\"items\":[\"idem-c-1\"]}");

        var other = create("key-conflict", "{\"target\":\"svc\",\"operation\":\"start\",\"items\":[\"idem-c-2\"]}");

        assertThat(first.status()).isEqualTo(202);
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().path("error").asText()).contains("different request body");
        assertThat(stub.requests("/instances/idem-c-2")).isEmpty();
    }

    @Test
    void should_create_separate_batches_when_the_keys_differ() {
        String body = "{\"target\":\"svc\",\"operation\":\"start\",\"items\":[\"idem-d-1\"]}";

        var one = create("key-d-1", body);
        var two = create("key-d-2", body);

        assertThat(one.json().path("id").asText()).isNotEqualTo(two.json().path("id").asText());
    }

    @Test
    void should_answer_400_when_the_key_is_longer_than_255_characters() {
        var response = create("k".repeat(256), "{\"target\":\"svc\",\"operation\":\"start\",\"items\":[\"idem-long\"]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(List.of(response.json().path("error").asText())).allMatch(e -> e.contains("255"));
    }
}
