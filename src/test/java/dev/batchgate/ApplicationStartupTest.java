package dev.batchgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The app starts from ./routes and ./application.properties, and every key can be overridden. */
class ApplicationStartupTest {

    private static final Pattern ROUTE_ID = Pattern.compile("(?m)^- route:\\s*\\n\\s+id:\\s*(\\S+)");
    private static final Pattern ROUTE_CONFIGURATION_ID = Pattern.compile("(?m)^- routeConfiguration:\\s*\\n\\s+id:\\s*(\\S+)");
    private static final Pattern ROUTE_TEMPLATE_ID = Pattern.compile("(?m)^- routeTemplate:\\s*\\n\\s+id:\\s*(\\S+)");

    @Test
    void should_load_every_route_file_when_the_app_starts() throws IOException {
        List<String> routeIds = new ArrayList<>();
        List<String> configurationIds = new ArrayList<>();
        List<String> templateIds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                String yaml = Files.readString(file);
                int before = routeIds.size() + configurationIds.size() + templateIds.size();
                collect(ROUTE_ID.matcher(yaml), routeIds);
                collect(ROUTE_CONFIGURATION_ID.matcher(yaml), configurationIds);
                collect(ROUTE_TEMPLATE_ID.matcher(yaml), templateIds);
                assertThat(routeIds.size() + configurationIds.size() + templateIds.size()).as("ids declared in %s", file)
                        .isGreaterThan(before);
            }
        }
        assertThat(routeIds).contains("batch-run", "item-run");

        try (BatchgateTestApp app = new BatchgateTestApp().start()) {
            ModelCamelContext context = (ModelCamelContext) app.context();
            assertThat(routeIds).allSatisfy(id -> assertThat(context.getRoute(id)).as("route %s", id).isNotNull());
            assertThat(configurationIds)
                    .allSatisfy(id -> assertThat(context.getRouteConfigurationDefinition(id)).as("route configuration %s", id).isNotNull());
            assertThat(templateIds)
                    .allSatisfy(id -> assertThat(context.getRouteTemplateDefinition(id)).as("route template %s", id).isNotNull());
            assertThat(app.get("/observe/health").status()).isEqualTo(200);
        }
    }

    private static void collect(Matcher matcher, List<String> into) {
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }

    @Test
    void should_use_an_overridden_key_and_keep_the_others_from_application_properties() {
        System.setProperty("batchgate.targets.instances.retries", "5");
        try (BatchgateTestApp app = new BatchgateTestApp().with("batchgate.targets.instances.rpm", "77").start()) {
            JsonNode instances = app.get("/v1/targets/instances").json();

            assertThat(instances.path("rpm").asInt()).isEqualTo(77);
            assertThat(instances.path("retries").asInt()).isEqualTo(5);
            assertThat(instances.path("concurrency").asInt()).isEqualTo(10);
            assertThat(instances.path("operations").path("restart").path("call").asText())
                    .isEqualTo("POST /instances/{id}/restart");
        } finally {
            System.clearProperty("batchgate.targets.instances.retries");
        }
    }

    /** Camel's own server keys would put the API on one server and health and metrics on another, or bind elsewhere than logged. */
    @ParameterizedTest
    @CsvSource({"camel.server.port, batchgate.port", "camel.management.port, batchgate.port",
            "camel.server.host, batchgate.bind", "camel.management.host, batchgate.bind"})
    void should_refuse_to_start_and_name_the_batchgate_key_when_a_camel_server_key_is_overridden(String camelKey, String batchgateKey) {
        String value = camelKey.endsWith(".port") ? Integer.toString(BatchgateTestApp.freePort()) : "0.0.0.0";
        BatchgateTestApp app = new BatchgateTestApp().with(camelKey, value);
        try {
            assertThatThrownBy(app::start).hasStackTraceContaining(camelKey + "=" + value)
                    .hasStackTraceContaining("set " + batchgateKey + " instead");
        } finally {
            app.close();
        }
    }

    @Test
    void should_override_keys_but_not_invent_targets_when_environment_variables_are_set(@TempDir Path dir) throws Exception {
        int port = BatchgateTestApp.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.batchgate.Application")
                .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
        builder.environment().putAll(Map.of(
                "BATCHGATE_PORT", Integer.toString(port),
                "BATCHGATE_DB_URL", "jdbc:h2:file:" + dir.resolve("db"),
                "BATCHGATE_DEMO_ENABLED", "false",
                "BATCHGATE_TARGETS_INSTANCES_RPM", "55",
                "BATCHGATE_TARGETS_GHOST_URL", "http://127.0.0.1:1"));
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/targets")).build();
            String[] body = new String[1];
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                body[0] = response.body();
                return response.statusCode() == 200;
            });

            List<String> names = new ArrayList<>();
            JsonNode instances = null;
            for (JsonNode target : Json.read(body[0]).path("targets")) {
                names.add(target.path("name").asText());
                if (target.path("name").asText().equals("instances")) {
                    instances = target;
                }
            }
            assertThat(names).contains("instances").doesNotContain("ghost");
            assertThat(instances.path("rpm").asInt()).isEqualTo(55);
        } finally {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
