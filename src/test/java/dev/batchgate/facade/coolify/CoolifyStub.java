package dev.batchgate.facade.coolify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Recorded;
import dev.batchgate.testing.StubServer.Reply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Coolify API on a free port, recording every call. Applications and services have a
 * status; a restart queues a deployment that reads queued, then in_progress, then finished
 * ({@code app-deploy-fails}: failed; {@code app-deploy-hangs}: in_progress for ever). Unknown uuids
 * answer 404 as Coolify does; {@code app-restart-refused} refuses restarts, {@code app-envs-refused}
 * refuses variables with a message that echoes a value (as a careless server might).
 */
final class CoolifyStub implements AutoCloseable {

    static final String TOKEN = "stub-token";

    private static final Pattern RESOURCE = Pattern.compile("/api/v1/(applications|services)/([^/]+)(?:/(\\w+)(?:/bulk)?)?");
    private static final Pattern DEPLOYMENT = Pattern.compile("/api/v1/deployments/([^/]+)");
    private static final Map<String, String> APPLICATIONS = Map.of(
            "app-1", "running:healthy", "app-2", "running:healthy", "app-stopped", "exited:unhealthy",
            "app-deploy-fails", "running:healthy", "app-deploy-hangs", "running:healthy",
            "app-restart-refused", "running:healthy", "app-envs-refused", "running:healthy");
    private static final Map<String, String> SERVICES = Map.of(
            "svc-1", "running:healthy", "svc-2", "running:healthy", "svc-stopped", "exited:unhealthy");

    private final StubServer server = new StubServer();
    private final AtomicInteger deployments = new AtomicInteger();
    private final Map<String, String> deploymentApplication = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> deploymentReads = new ConcurrentHashMap<>();

    CoolifyStub() {
        server.respond(this::answer);
    }

    String url() {
        return server.url();
    }

    List<Recorded> calls() {
        return server.requests();
    }

    List<Recorded> calls(String method, String pathPrefix) {
        return server.requests(pathPrefix).stream().filter(call -> call.method().equals(method)).toList();
    }

    private Reply answer(Recorded call) {
        if (!("Bearer " + TOKEN).equals(call.header("Authorization"))) {
            return Reply.json(401, "{\"message\":\"Unauthenticated.\"}");
        }
        Matcher deployment = DEPLOYMENT.matcher(call.path());
        if (deployment.matches()) {
            return deployment(deployment.group(1));
        }
        Matcher resource = RESOURCE.matcher(call.path());
        if (!resource.matches()) {
            return Reply.json(404, "{\"message\":\"Not found.\"}");
        }
        boolean application = resource.group(1).equals("applications");
        String uuid = resource.group(2);
        String action = resource.group(3);
        String status = (application ? APPLICATIONS : SERVICES).get(uuid);
        if (status == null) {
            return Reply.json(404, "{\"message\":\"Resource not found.\"}");
        }
        if (action == null) {
            return Reply.json(200, Json.write(Map.of("uuid", uuid, "status", status)));
        }
        return switch (action) {
            case "envs" -> envs(uuid, call.body());
            case "restart" -> restart(uuid, application);
            case "start" -> Reply.json(200, application ? queued(uuid, "Deployment request queued.")
                    : "{\"message\":\"Service starting request queued.\"}");
            case "stop" -> Reply.json(200, "{\"message\":\"" + (application ? "Application" : "Service")
                    + " stopping request queued.\"}");
            default -> Reply.json(404, "{\"message\":\"Not found.\"}");
        };
    }

    private Reply restart(String uuid, boolean application) {
        if (uuid.equals("app-restart-refused")) {
            return Reply.json(400, "{\"message\":\"Application has no destination server.\"}");
        }
        return Reply.json(200, application ? queued(uuid, "Restart request queued.")
                : "{\"message\":\"Service restarting request queued.\"}");
    }

    private String queued(String application, String message) {
        String deployment = "dep-" + deployments.incrementAndGet();
        deploymentApplication.put(deployment, application);
        return Json.write(Map.of("message", message, "deployment_uuid", deployment));
    }

    private Reply deployment(String deployment) {
        String application = deploymentApplication.get(deployment);
        if (application == null) {
            return Reply.json(404, "{\"message\":\"Deployment not found.\"}");
        }
        int reads = deploymentReads.computeIfAbsent(deployment, d -> new AtomicInteger()).incrementAndGet();
        String status = switch (reads) {
            case 1 -> "queued";
            case 2 -> "in_progress";
            default -> switch (application) {
                case "app-deploy-fails" -> "failed";
                case "app-deploy-hangs" -> "in_progress";
                default -> "finished";
            };
        };
        return Reply.json(200, Json.write(Map.of("deployment_uuid", deployment, "application_id", application, "status", status)));
    }

    private static Reply envs(String uuid, String body) {
        JsonNode data = Json.read(body).path("data");
        if (!data.isArray() || data.isEmpty()) {
            return Reply.json(422, "{\"message\":\"The data field is required.\"}");
        }
        if (uuid.equals("app-envs-refused")) {
            JsonNode first = data.get(0);
            return Reply.json(422, Json.write(Map.of("message",
                    "Invalid value for " + first.path("key").asText() + ": " + first.path("value").asText())));
        }
        return Reply.json(201, "[]");
    }

    @Override
    public void close() {
        server.close();
    }
}
