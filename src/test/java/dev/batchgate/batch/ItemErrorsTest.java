package dev.batchgate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

/**
 * The item-errors handler ({@code routes/error-handling.camel.yaml}) for an item that throws after its
 * call, on the real routes: a fault is woven in before one step of item-run, once, for item "b". At
 * concurrency 1 a call slot that did not go back would stop the batch at that item.
 */
class ItemErrorsTest {

    @Test
    void should_fail_the_item_and_run_the_rest_when_it_throws_before_its_result_is_saved() {
        JsonNode summary = runWithFaultBefore("item-save");

        assertThat(summary.path("succeeded").asInt()).isEqualTo(2);
        assertThat(summary.path("failed").asInt()).isEqualTo(1);
        JsonNode b = summary.path("results").get(1);
        assertThat(b.path("status").asText()).isEqualTo("failed");
        assertThat(b.path("error").asText()).isEqualTo("internal error: IllegalStateException");
    }

    @Test
    void should_keep_the_stored_result_and_count_it_once_when_the_item_throws_after_its_fold() {
        JsonNode summary = runWithFaultBefore("item-release");

        assertThat(summary.path("succeeded").asInt()).isEqualTo(3);
        assertThat(summary.path("failed").asInt()).isZero();
        assertThat(summary.path("results").get(1).path("status").asText()).isEqualTo("succeeded");
    }

    private static JsonNode runWithFaultBefore(String step) {
        try (StubServer stub = new StubServer();
                BatchgateTestApp app = new BatchgateTestApp()
                        .target("svc", stub.url(), Map.of("operations.start", "POST /instances/{id}/start")).start()) {
            AtomicBoolean thrown = new AtomicBoolean();
            AdviceWith.adviceWith(app.context(), "item-run", route -> route.weaveById(step).before().process(exchange -> {
                if (isItemB(exchange) && thrown.compareAndSet(false, true)) {
                    throw new IllegalStateException("woven in before " + step);
                }
            }));
            String id = app.post("/v1/batches", Map.of("target", "svc", "operation", "start", "concurrency", 1,
                    "items", List.of("a", "b", "c"))).json().get("id").asText();

            JsonNode summary = app.awaitFinished(id);

            assertThat(thrown).isTrue();
            assertThat(summary.path("status").asText()).isEqualTo("completed");
            assertThat(stub.requests()).hasSize(3);
            return summary;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isItemB(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof ItemResult r && r.id().asText().equals("b");
    }
}
