package dev.batchgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests shaped as a page of another site can send them (no preflight: untyped, text/plain and form
 * bodies, or any body with a foreign Origin) change nothing; bodies that are not exactly one JSON value in
 * UTF-8 are refused. Raw HTTP, so that Host, Origin and the body bytes are exactly as written.
 */
class CrossSiteRequestTest {

    private static final String BATCH = "{\"target\":\"svc\",\"operation\":\"process\",\"items\":[\"x-1\"]}";
    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp().with("batchgate.allowed-origins", "https://ops.example.com")
                .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}")).start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    private int batchesBefore;

    @BeforeEach
    void forgetCalls() {
        stub.reset();
        batchesBefore = batchCount();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v1/batches|",
            "/v1/batches|text/plain;charset=UTF-8",
            "/v1/batches|application/x-www-form-urlencoded",
            "/v1/batches|multipart/form-data; boundary=x",
            "/v1/core/instances/batch/stop|",
            "/v1/coolify/batch_restart_applications|text/plain",
            "/api/v1/batch/remediation|",
            "/v1/llm/batches|text/plain",
            "/mcp|text/plain"})
    void should_answer_415_and_create_nothing_when_a_body_is_not_declared_json(String path, String contentType) {
        Raw response = raw("POST", path, contentType == null ? List.of() : List.of("Content-Type: " + contentType), BATCH);

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().path("error").asText()).contains("application/json");
        assertThat(batchCount()).isEqualTo(batchesBefore);
        assertThat(stub.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST /v1/batches", "POST /v1/core/instances/batch/stop", "POST /v1/batches/b-x/cancel",
            "POST /v1/batches/b-x/retry", "PATCH /v1/targets/svc", "POST /mcp", "POST /login"})
    void should_answer_403_when_a_page_of_another_origin_sends_a_json_call(String call) {
        String[] parts = call.split(" ");
        String rpmBefore = app.get("/v1/targets/svc").json().path("rpm").toString();
        Raw response = raw(parts[0], parts[1], List.of("Content-Type: application/json", "Origin: https://evil.example"),
                parts[1].startsWith("/v1/targets") ? "{\"rpm\":1}" : BATCH);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().path("error").asText()).contains("https://evil.example").contains("batchgate.allowed-origins");
        assertThat(batchCount()).isEqualTo(batchesBefore);
        assertThat(app.get("/v1/targets/svc").json().path("rpm").toString()).isEqualTo(rpmBefore);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void should_answer_403_when_the_browser_says_cross_site_without_an_origin() {
        Raw response = raw("POST", "/v1/batches/b-x/cancel", List.of("Sec-Fetch-Site: cross-site"), (byte[]) null);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().path("error").asText()).contains("cross-site");
    }

    @Test
    void should_answer_403_when_a_rebound_domain_name_claims_the_same_origin() {
        // a page on evil.example whose name now resolves to 127.0.0.1: Host and Origin agree, yet it is not us
        Raw response = raw("POST", "/v1/batches", List.of("Host: evil.example:" + app.port(),
                "Origin: http://evil.example:" + app.port(), "Content-Type: application/json"), BATCH);

        assertThat(response.status()).isEqualTo(403);
        assertThat(batchCount()).isEqualTo(batchesBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d", "https://ops.example.com", "https://OPS.example.com/"})
    void should_accept_a_json_call_from_its_own_origin_or_an_allowed_one(String origin) {
        Raw response = raw("POST", "/v1/batches", List.of("Content-Type: application/json",
                "Origin: " + origin.formatted(app.port())), BATCH);

        assertThat(response.status()).isEqualTo(202);
        app.awaitFinished(response.json().path("id").asText());
        assertThat(stub.requests("/items/x-1")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {BATCH + " xyz", BATCH + BATCH, BATCH + "\n" + BATCH, "[1] 2"})
    void should_answer_400_when_text_follows_the_json_value(String body) {
        Raw response = raw("POST", "/v1/batches", List.of("Content-Type: application/json"), body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).contains("not valid JSON");
        assertThat(batchCount()).isEqualTo(batchesBefore);
        assertThat(stub.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/batches", "/v1/core/instances/batch/stop", "/mcp"})
    void should_answer_400_when_the_body_is_not_utf8(String path) {
        byte[] json = "{\"target\":\"svc\",\"operation\":\"process\",\"items\":[\"a\u0001b\"]}".getBytes(StandardCharsets.UTF_8);
        int at = new String(json, StandardCharsets.ISO_8859_1).indexOf('\u0001');
        byte[] body = new byte[json.length + 1];
        System.arraycopy(json, 0, body, 0, at);
        body[at] = (byte) 0xC0; // an overlong form of '/'
        body[at + 1] = (byte) 0xAF;
        System.arraycopy(json, at + 1, body, at + 2, json.length - at - 1);

        Raw response = raw("POST", path, List.of("Content-Type: application/json"), body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).contains("UTF-8");
        assertThat(batchCount()).isEqualTo(batchesBefore);
    }

    private static int batchCount() {
        return app.get("/v1/batches?limit=1000").json().path("batches").size();
    }

    record Raw(int status, String text) {
        JsonNode json() {
            return Json.read(text);
        }
    }

    private static Raw raw(String method, String path, List<String> headers, String body) {
        return raw(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** One HTTP/1.1 request on its own connection, with exactly these headers (Host unless given). */
    private static Raw raw(String method, String path, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (headers.stream().noneMatch(h -> h.startsWith("Host:"))) {
            head.append("Host: 127.0.0.1:").append(app.port()).append("\r\n");
        }
        headers.forEach(h -> head.append(h).append("\r\n"));
        head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String answer = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            return new Raw(status, answer.substring(answer.indexOf("\r\n\r\n") + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
