package dev.batchgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.LogCapture;
import dev.batchgate.testing.StubServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input of every kind gets a 4xx with a JSON error, never a 500, and never reaches the downstream. */
class HostileInputTest {

    private static final int MAX_BODY = 2 * 1024 * 1024;
    static StubServer stub;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        stub = new StubServer();
        app = new BatchgateTestApp().with("batchgate.max-body", Integer.toString(MAX_BODY))
                .with("batchgate.request-read-timeout", "1s")
                .target("svc", stub.url(), Map.of("operations.process", "POST /items/{id}")).start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    @AfterEach
    void nothingReachedTheDownstream() {
        assertThat(stub.requests()).isEmpty();
        assertThat(app.get("/observe/health").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"target\": 5, \"operation\": \"process\", \"items\": [\"a\"]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": \"a\"}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\"], \"concurrency\": \"ten\"}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\"], \"concurrency\": 1e99}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\"], \"concurrency\": 99999999999999999999}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\"], \"concurrency\": -1}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\"], \"maxFailurePercent\": 1e400}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\"], \"deadline\": \"99999999999999999999d\"}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\"], \"deadline\": \"9999999999999d\"}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\"], \"mode\": [\"sync\"]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [1.5]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [92233720368547758070]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\\u0000b\"]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"line\\nbreak\"]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"\\ud800\"]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"..\"]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"\"]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [{\"id\": \"a\", \"params\": 5}]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [{\"id\": {\"x\": 1}}]}",
            "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [\"a\", \"a\"]}",
            "{\"target\": \"svc\", \"operation\": \"../../admin\", \"items\": [\"a\"]}",
            "{\"target\": \"../svc\", \"operation\": \"process\", \"items\": [\"a\"]}",
            "[]", "null", "\"text\"", "{", "{\"target\": \"svc\",}", "\u0000\u0001\u0002", "", "   "})
    void should_answer_a_json_4xx_when_the_request_is_malformed(String body) {
        assertJsonError(app.post("/v1/batches", body));
    }

    @Test
    void should_refuse_json_nested_deeper_than_the_limit() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        var response = app.post("/v1/batches", "{\"target\": \"svc\", \"operation\": \"process\", \"items\": " + deep + "}");

        assertJsonError(response);
        assertThat(response.json().path("error").asText()).contains("nested too deeply");
    }

    @Test
    void should_answer_415_when_the_body_is_a_form() {
        var response = app.send(HttpRequest.newBuilder(URI.create(app.url("/v1/batches")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("target=svc&operation=process&items=a")));

        assertThat(response.status()).isEqualTo(415);
        assertJsonError(response);
    }

    @Test
    void should_answer_413_when_there_are_more_items_than_the_limit() {
        String items = IntStream.rangeClosed(1, 100_001).mapToObj(i -> "\"" + i + "\"").collect(Collectors.joining(","));

        var response = app.post("/v1/batches", "{\"target\": \"svc\", \"operation\": \"process\", \"items\": [" + items + "]}");

        assertThat(response.status()).isEqualTo(413);
        assertJsonError(response);
    }

    @Test
    void should_answer_413_when_the_declared_length_is_over_the_limit() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.getOutputStream().write(("POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (MAX_BODY + 1) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"error\"");
        }
    }

    @Test
    void should_cut_off_a_chunked_body_without_length_while_it_streams() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readAnswer(inputOf(socket)));
            byte[] chunk = new byte[16 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            long sent = 0;
            try {
                // ten times the limit, unless the server answers (and stops reading) first
                while (sent < 10L * MAX_BODY && !answer.isDone()) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                }
            } catch (IOException closedByServer) {
                // the server stopped reading: what this test wants
            }
            assertThat(answer.get()).startsWith("HTTP/1.1 413").contains("\"error\"");
            assertThat(sent).isLessThan(10L * MAX_BODY);
        }
    }

    @Test
    void should_answer_408_and_close_when_a_client_drips_its_body() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readAnswer(inputOf(socket)));
            try {
                // one byte every 200 ms: 1000 bytes would take 200 s
                for (int i = 0; i < 150 && !answer.isDone(); i++) {
                    out.write(' ');
                    out.flush();
                    try {
                        answer.get(200, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException stillDripping) {
                        // next byte
                    }
                }
            } catch (IOException closedByServer) {
                // the connection is gone, as it should be
            }
            assertThat(answer.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 408").contains("batchgate.request-read-timeout");
            assertThat(closedByServer(socket)).isTrue();
        }
    }

    /** The server closed the connection: an end of stream, or a reset when the client's dripped bytes were still unread. */
    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            return inputOf(socket).read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void should_answer_404_json_when_a_batch_id_is_a_path_trick() {
        for (String id : List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "x".repeat(1000), "%F0%9F%92%A5", "%C0%AE%C0%AE")) {
            var response = app.get("/v1/batches/" + id);
            assertThat(response.status()).as(id).isEqualTo(404);
            assertJsonError(response);
        }
    }

    @Test
    void should_answer_400_json_when_the_url_has_a_control_character() {
        for (String path : List.of("/v1/batches/a%00b", "/v1/batches/a%0Ab/results", "/v1/batches?target=svc%00")) {
            var response = app.get(path);
            assertThat(response.status()).as(path).isEqualTo(400);
            assertJsonError(response);
        }
    }

    /** Requests the HTTP decoder cannot read, or whose target is no path: answered before any route runs. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "431 | GET /v1/targets HTTP/1.1\\r\\nHost: x\\r\\nX-Big: {9000}\\r\\n\\r\\n",
            "414 | GET /v1/targets?q={5000} HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
            "400 | GARBAGE\\r\\n\\r\\n",
            "400 | GET /v1/targets HTTP/1.1\\r\\nHost: x\\r\\nNo colon here\\r\\n\\r\\n",
            "400 | POST /v1/batches HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: ten\\r\\n\\r\\n",
            "400 | POST /v1/batches HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 2\\r\\nContent-Length: 3\\r\\n\\r\\n{}",
            "404 | CONNECT 127.0.0.1:80 HTTP/1.1\\r\\nHost: 127.0.0.1:80\\r\\n\\r\\n",
            "404 | GET no-slash HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"})
    void should_answer_a_json_error_when_the_request_is_not_readable_http(int status, String template) throws IOException {
        String request = expand(template);
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = readAnswer(socket.getInputStream());

            assertThat(answer).as(answer).matches("(?s)HTTP/1\\.[01] " + status + " .*");
            assertThat(answer).containsIgnoringCase("content-type: application/json");
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertThat(Json.read(body).path("error").isTextual()).as(answer).isTrue();
        }
    }

    /** Vert.x closes the connection on a chunk it cannot decode before any answer is flushed: no 500, no error logged. */
    @Test
    void should_close_the_connection_and_log_no_error_when_a_chunk_size_is_malformed() throws IOException {
        try (LogCapture log = new LogCapture(false); Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

            assertThat(readAnswer(socket.getInputStream())).doesNotContain(" 500 ");
            assertThat(closedByServer(socket)).isTrue();
            assertThat(log.text()).doesNotContain("ERROR");
        }
    }

    /** {@code \r\n} as written in a test case, {@code {n}} as n letters. */
    private static String expand(String template) {
        String request = template.replace("\\r\\n", "\r\n");
        Matcher repeat = Pattern.compile("\\{(\\d+)}").matcher(request);
        return repeat.replaceAll(m -> "a".repeat(Integer.parseInt(m.group(1))));
    }

    static void assertJsonError(BatchgateTestApp.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(400, 499);
        JsonNode json = Json.read(response.text());
        assertThat(json.path("error").isTextual()).as(response.text()).isTrue();
        assertThat(response.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static InputStream inputOf(Socket socket) {
        try {
            return socket.getInputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status line, headers and (up to 64 KiB of) body of one answer, read until the server closes or stops. */
    private static String readAnswer(InputStream in) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes.write(buffer, 0, n);
                String text = bytes.toString(StandardCharsets.UTF_8);
                int headEnd = text.indexOf("\r\n\r\n");
                if (headEnd > 0 && text.substring(headEnd).contains("}")) {
                    break;
                }
            }
        } catch (IOException e) {
            // reset after the answer: keep what arrived
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
