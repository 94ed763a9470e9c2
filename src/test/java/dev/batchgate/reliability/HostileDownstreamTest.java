package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.target.TargetCaller;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.HostileServer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A downstream that resets, talks garbage, sends 1 GiB or never answers: each item ends with a clear result, memory stays bounded. */
class HostileDownstreamTest {

    static final Map<HostileServer.Behaviour, HostileServer> servers = new EnumMap<>(HostileServer.Behaviour.class);
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        app = new BatchgateTestApp();
        for (HostileServer.Behaviour behaviour : HostileServer.Behaviour.values()) {
            HostileServer server = new HostileServer(behaviour);
            servers.put(behaviour, server);
            app.target(behaviour.name().toLowerCase(), server.url(), Map.of("operations.call", "POST /things/{id}",
                    "timeout", "1s", "retries", "1", "retry-delay", "10ms", "circuit-breaker.failures", "0"));
        }
        app.start();
    }

    @AfterAll
    static void stop() {
        app.close();
        servers.values().forEach(HostileServer::close);
    }

    @Test
    void should_fail_the_item_with_a_connection_error_when_the_downstream_resets() {
        JsonNode result = runOne(HostileServer.Behaviour.RESET);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("failed");
        assertThat(result.path("attempts").asInt()).isEqualTo(2);
        assertThat(result.path("error").asText()).startsWith("connection failed");
    }

    @Test
    void should_fail_the_item_with_a_connection_error_when_the_downstream_answers_garbage() {
        JsonNode result = runOne(HostileServer.Behaviour.GARBAGE);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("failed");
        assertThat(result.path("error").asText()).startsWith("connection failed");
    }

    @Test
    void should_fail_the_item_with_a_timeout_when_the_downstream_never_answers() {
        JsonNode result = runOne(HostileServer.Behaviour.SILENT);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("failed");
        assertThat(result.path("attempts").asInt()).isEqualTo(2);
        assertThat(result.path("error").asText()).isEqualTo("timed out after 1000 ms");
    }

    @Test
    void should_keep_64_kib_and_drop_the_connection_when_the_downstream_sends_1_gib() {
        HostileServer server = servers.get(HostileServer.Behaviour.HUGE_BODY);

        JsonNode result = runOne(HostileServer.Behaviour.HUGE_BODY);

        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertThat(result.path("response").asText()).endsWith("[cut at 64 KiB]")
                .hasSizeLessThanOrEqualTo(TargetCaller.MAX_KEPT_BODY + 20);
        // batchgate hung up after 64 KiB: what got through is socket buffers, nowhere near the gigabyte
        assertThat(server.bytesSent()).isLessThan(64L * 1024 * 1024);
    }

    private static JsonNode runOne(HostileServer.Behaviour behaviour) {
        var response = app.post("/v1/batches", Map.of("target", behaviour.name().toLowerCase(), "operation", "call",
                "mode", "sync", "items", List.of("x")));
        assertThat(response.status()).isEqualTo(200);
        return response.json().path("results").get(0);
    }
}
