package dev.batchgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthTest {

    private static final String KEY = "key-one-7c1f9a";
    private static final String OTHER_KEY = "key-two-52be0d";
    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp().with("batchgate.api-keys", KEY + ", " + OTHER_KEY)
                .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}")).start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    @ParameterizedTest
    @CsvSource({"GET,/v1/batches", "GET,/v1/targets", "POST,/v1/batches", "POST,/v1/core/instances/batch/start",
            "POST,/api/v1/batch/remediation", "GET,/api/v1/batch/jobs/x", "POST,/v1/llm/batches",
            "POST,/v1/coolify/batch_restart_applications", "POST,/mcp", "GET,/", "GET,/observe/metrics",
            "GET,/observe/health/../../v1/batches", "GET,/login/../v1/targets", "GET,/v1/nowhere"})
    void should_answer_401_json_when_a_call_has_no_key(String method, String path) {
        var response = app.send(request(method, path));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("error").asText()).contains("API key");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void should_not_create_a_batch_or_call_the_target_when_the_key_is_wrong() {
        var response = app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "items", List.of("never")),
                Map.of("Authorization", "Bearer " + KEY + "x"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(app.get("/v1/batches?limit=1000").status()).isEqualTo(401);
        assertThat(app.send(request("GET", "/v1/batches?limit=1000").header("X-API-Key", KEY)).text()).doesNotContain("never");
        assertThat(stub.requests("/items/never")).isEmpty();
    }

    @Test
    void should_accept_a_bearer_token_or_an_x_api_key_header() {
        assertThat(app.send(request("GET", "/v1/batches").header("Authorization", "Bearer " + KEY)).status()).isEqualTo(200);
        assertThat(app.send(request("GET", "/v1/batches").header("authorization", "bearer " + OTHER_KEY)).status()).isEqualTo(200);
        assertThat(app.send(request("GET", "/v1/batches").header("X-API-Key", OTHER_KEY)).status()).isEqualTo(200);
        assertThat(app.send(request("GET", "/v1/batches").header("X-API-Key", OTHER_KEY.substring(1))).status()).isEqualTo(401);
    }

    @Test
    void should_keep_health_open_without_a_key() {
        assertThat(app.get("/observe/health").status()).isEqualTo(200);
    }

    @Test
    void should_send_a_browser_to_the_login_form_when_it_has_no_session() {
        var page = app.send(request("GET", "/").header("Accept", "text/html"));

        assertThat(page.status()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        assertThat(app.send(request("GET", "/login")).text()).contains("<form method=\"post\" action=\"/login\"");
    }

    @Test
    void should_accept_the_session_cookie_for_api_calls_and_event_streams_when_logged_in() {
        var login = app.send(HttpRequest.newBuilder(URI.create(app.url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + KEY)));

        assertThat(login.status()).isEqualTo(303);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(AuthHandler.SESSION_COOKIE + "=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
                .doesNotContain(KEY);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        assertThat(app.send(request("GET", "/v1/batches").header("Cookie", cookie)).status()).isEqualTo(200);
        String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "process", "items", List.of("a")),
                Map.of("Cookie", cookie)).json().path("id").asText();
        app.send(request("GET", "/v1/batches/" + id).header("Cookie", cookie));
        var events = app.send(request("GET", "/v1/batches/" + id + "/events").header("Cookie", cookie));
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(events.text()).contains("event: done");
    }

    @Test
    void should_refuse_the_login_and_a_forged_cookie_when_the_key_is_wrong() {
        var login = app.send(HttpRequest.newBuilder(URI.create(app.url("/login")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"nope\"}")));

        assertThat(login.status()).isEqualTo(401);
        assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
        String forged = AuthHandler.SESSION_COOKIE + "=" + (System.currentTimeMillis() / 1000 + 3600) + ".AAAA";
        assertThat(app.send(request("GET", "/v1/batches").header("Cookie", forged)).status()).isEqualTo(401);
    }

    private static HttpRequest.Builder request(String method, String path) {
        return HttpRequest.newBuilder(URI.create(app.url(path))).header("Content-Type", "application/json")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
    }
}
