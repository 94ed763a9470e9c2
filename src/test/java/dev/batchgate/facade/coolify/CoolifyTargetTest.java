package dev.batchgate.facade.coolify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer.Recorded;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped coolify target: its action method switch, and one rate limit over every call. */
class CoolifyTargetTest {

    private static final int RPM = 300;

    static CoolifyStub coolify;
    static BatchgateTestApp app;

    @BeforeAll
    static void start() {
        coolify = new CoolifyStub();
        app = new BatchgateTestApp()
                .with("batchgate.targets.coolify.url", coolify.url())
                .with("batchgate.targets.coolify.headers.Authorization", "Bearer " + CoolifyStub.TOKEN)
                .with("batchgate.targets.coolify.rpm", Integer.toString(RPM))
                .with("batchgate.coolify.action-method", "GET")
                .with("batchgate.coolify.poll-interval", "1ms")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
        coolify.close();
    }

    @Test
    void should_space_every_call_deployment_polls_included_by_the_target_rate_limit_when_waiting_for_completion() {
        int earlierCalls = coolify.calls().size();
        JsonNode document = app.post("/v1/coolify/batch_restart_applications",
                Map.of("application_uuids", List.of("app-1", "app-2"), "wait_for_completion", true)).json();

        assertThat(document.get("successful").asInt()).as(document.toString()).isEqualTo(2);
        List<Recorded> calls = coolify.calls().stream().skip(earlierCalls).sorted(Comparator.comparingLong(Recorded::atNanos)).toList();
        assertThat(calls.stream().filter(call -> call.path().startsWith("/api/v1/deployments/"))).hasSize(6);
        // starts are spaced 60 s / rpm apart; an arrival may lag its start by up to one spacing (a new connection)
        long spacingMs = TimeUnit.MINUTES.toMillis(1) / RPM;
        for (int i = 0; i < calls.size(); i++) {
            for (int j = i + 1; j < calls.size(); j++) {
                long apartMs = TimeUnit.NANOSECONDS.toMillis(calls.get(j).atNanos() - calls.get(i).atNanos());
                assertThat(apartMs).as("calls %d and %d (%s)", i, j, calls.get(j).path())
                        .isGreaterThanOrEqualTo((j - i - 1) * spacingMs);
            }
        }
    }

    @Test
    void should_call_the_actions_with_get_when_the_action_method_is_get() {
        app.post("/v1/coolify/batch_start_services", Map.of("service_uuids", List.of("svc-2")));

        assertThat(coolify.calls("GET", "/api/v1/services/svc-2/start")).hasSize(1);
        assertThat(app.get("/v1/targets/coolify").text()).contains("GET /api/v1/applications/{id}/restart");
    }
}
