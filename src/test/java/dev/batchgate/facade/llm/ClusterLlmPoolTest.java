package dev.batchgate.facade.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.batchgate.testing.BatchgateProcess;
import dev.batchgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's rpm held for the whole cluster: two nodes (child JVMs of the jar) on a real PostgreSQL each
 * run an LLM batch on the same one-model pool at once, against a stub provider that answers 429 to any
 * call beyond the model's rpm in 60 s.
 */
class ClusterLlmPoolTest {

    private static final String MODEL = "m-1";
    private static final int RPM = 120;
    private static final int PROMPTS = 20;
    private static final int COLD_CALLS = 4;
    private static final long SPACING_NANOS = TimeUnit.SECONDS.toNanos(60) / RPM;

    @TempDir
    Path workDir;

    @Test
    void should_space_the_calls_of_two_nodes_on_one_model_by_its_rpm_when_both_run_a_batch() throws Exception {
        assumeTrue(TestDatabase.postgres(), "cluster mode needs PostgreSQL: BATCHGATE_TEST_DB_URL is not set");
        try (FakeLlm llm = new FakeLlm().rpm(MODEL, RPM);
                TestDatabase db = TestDatabase.fresh(Files.createDirectories(workDir.resolve("data")));
                BatchgateProcess a = node(db, "node-a", llm).start();
                BatchgateProcess b = node(db, "node-b", llm).start()) {
            String first = create(a, "a");
            String second = create(b, "b");

            assertThat(a.awaitFinished(first, Duration.ofMinutes(2)).path("succeeded").asInt()).isEqualTo(PROMPTS);
            assertThat(b.awaitFinished(second, Duration.ofMinutes(2)).path("succeeded").asInt()).isEqualTo(PROMPTS);

            assertThat(llm.calls()).hasSize(2 * PROMPTS).allSatisfy(call -> assertThat(call.status()).isEqualTo(200));
            List<Long> arrivals = llm.calls().stream().map(FakeLlm.Call::atNanos).sorted().toList();
            List<Long> gaps = IntStream.range(1, arrivals.size()).mapToObj(i -> arrivals.get(i) - arrivals.get(i - 1)).sorted().toList();
            System.out.printf("cluster LLM pool: %d calls from two nodes at rpm %d, gaps min %d ms median %d ms (spacing %d ms)%n",
                    arrivals.size(), RPM, TimeUnit.NANOSECONDS.toMillis(gaps.get(0)),
                    TimeUnit.NANOSECONDS.toMillis(gaps.get(gaps.size() / 2)), TimeUnit.NANOSECONDS.toMillis(SPACING_NANOS));
            // each node on its own would start a call every spacing: together, two within half of it
            assertThat(gaps.get(gaps.size() / 10)).as("the gaps but the tenth closest").isGreaterThanOrEqualTo(SPACING_NANOS * 3 / 4);
            // from the calls after each node's first (a cold JVM's first call arrives late)
            assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(COLD_CALLS))
                    .isGreaterThanOrEqualTo((arrivals.size() - 2 - COLD_CALLS) * SPACING_NANOS);
        }
    }

    private static String create(BatchgateProcess node, String prefix) {
        var accepted = node.post("/v1/llm/batches", Map.of("operation", "GENERATE_SCRIPT", "items",
                IntStream.range(0, PROMPTS).mapToObj(i -> Map.of("id", prefix + "-" + i, "prompt", "chapter " + prefix + i)).toList()));
        assertThat(accepted.status()).isEqualTo(202);
        return accepted.json().path("id").asText();
    }

    private BatchgateProcess node(TestDatabase db, String id, FakeLlm llm) throws Exception {
        return BatchgateProcess.clusterNode(workDir, db, id).with("batchgate.llm.url", llm.url()).with("batchgate.llm.models",
                MODEL + ":" + RPM);
    }
}
