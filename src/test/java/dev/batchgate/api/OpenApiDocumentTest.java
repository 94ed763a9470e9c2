package dev.batchgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    private static final Path VALIDATOR_DIR = Path.of("src", "test", "openapi");
    private static final Set<HttpMethod> DOCUMENTED_METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);

    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        app = new BatchgateTestApp().with("batchgate.demo.enabled", "true").start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void should_be_valid_against_the_openapi_3_schema_when_checked_by_swagger_parser() throws Exception {
        assumeTrue(nodeRuns(), "node is not installed: skipping the OpenAPI schema validation");
        assumeTrue(Files.isDirectory(VALIDATOR_DIR.resolve("node_modules/@apidevtools/swagger-parser")),
                "swagger-parser is not installed: run `npm ci --prefix src/test/openapi` to validate /openapi.json");
        var response = app.get("/openapi.json");
        assertThat(response.status()).isEqualTo(200);
        Path document = Files.createTempFile("openapi", ".json");
        Files.writeString(document, response.text());
        Path log = Files.createTempFile("openapi-validation", ".log");

        Process validator = new ProcessBuilder("node", VALIDATOR_DIR.resolve("validate.mjs").toString(), document.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        assertThat(validator.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(validator.exitValue()).as("swagger-parser says:%n%s", Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("\"openapi\":\"3.0.3\"");
    }

    @Test
    void should_describe_every_call_the_server_answers_when_compared_with_its_routes() {
        JsonNode paths = app.get("/openapi.json").json().path("paths");
        Router router = VertxPlatformHttpRouter.lookup(app.context(), VertxPlatformHttpRouter.getRouterNameFromPort(app.port()));
        Set<String> checked = new TreeSet<>();
        Set<String> undocumented = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            // routes for every method are shared handlers (body limits), not calls of their own
            if (path == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            String openApiPath = path.replaceAll(":([A-Za-z_]+)", "{$1}");
            for (HttpMethod method : route.methods()) {
                checked.add(method + " " + openApiPath);
                if (DOCUMENTED_METHODS.contains(method)
                        && !paths.path(openApiPath).has(method.name().toLowerCase(Locale.ROOT))) {
                    undocumented.add(method + " " + openApiPath);
                }
            }
        }
        assertThat(checked).contains("POST /v1/batches", "GET /v1/batches/{id}/events", "PATCH /v1/targets/{target}",
                "GET /v1/schedules", "POST /v1/core/instances/batch/{operation}", "GET /",
                "POST /demo/instances/{id}/{action}");
        assertThat(undocumented).as("calls missing from src/main/resources/openapi.json").isEmpty();
    }

    private static boolean nodeRuns() {
        try {
            return new ProcessBuilder("node", "--version").start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
