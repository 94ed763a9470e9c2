package dev.batchgate.facade.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchgate.json.Json;
import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.ShippedProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Benchmark helper, not a test: the real batchgate against {@link FakeLlm}, whose models enforce
 * the same RPM windows as the pool (a call beyond a model's rpm gets 429). It sends one LLM batch
 * of {@code --prompts} prompts without a concurrency (so the auto concurrency applies) and prints
 * one JSON line to stdout: the batch's duration, the time the summed rpm allows
 * ({@code prompts / Σrpm} minutes), their ratio, the 429s the stub answered, and per model the calls
 * and the most calls seen in any 60 s window. Exit status 0 when the ratio is at most
 * {@code 1 + --tolerance} and the stub answered no 429, else 1. Logs go to stderr.
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/test-cp.txt) dev.batchgate.facade.llm.LlmPoolBench \
 *      [--models=gemini-2.5-pro:2,gemini-2.5-flash:10,gemini-2.5-flash-lite:30] [--prompts=60] [--latency=1500ms] [--tolerance=0.05]
 * </pre>
 */
public final class LlmPoolBench {

    private LlmPoolBench() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>(Map.of("models", ShippedProperties.value("batchgate.llm.models"), "prompts", "60",
                "latency", "1500ms", "tolerance", "0.05"));
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                System.err.println("unknown option " + arg + "; options: " + options.keySet());
                System.exit(2);
            }
            options.put(kv[0], kv[1]);
        }
        List<ModelSpec> models = ModelSpec.parseList(options.get("models"));
        int prompts = Integer.parseInt(options.get("prompts"));
        Duration latency = dev.batchgate.config.ConfigValues.duration(options.get("latency"));
        double tolerance = Double.parseDouble(options.get("tolerance"));

        ObjectNode report;
        try (FakeLlm llm = new FakeLlm().latency(latency);
                BatchgateTestApp app = new BatchgateTestApp()
                        .with("batchgate.llm.url", llm.url()).with("batchgate.llm.models", options.get("models")).start()) {
            models.forEach(m -> llm.rpm(m.name(), m.rpm()));
            report = run(app, llm, models, prompts, latency, tolerance);
        }
        System.out.println(report);
        System.exit(report.path("pass").asBoolean() ? 0 : 1);
    }

    private static ObjectNode run(BatchgateTestApp app, FakeLlm llm, List<ModelSpec> models, int prompts, Duration latency,
            double tolerance) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 1; i <= prompts; i++) {
            items.add(Map.of("id", i, "prompt", "Create outline for chapter " + i));
        }
        String id = app.post("/v1/llm/batches", Map.of("operation", "BENCH", "items", items)).json().path("id").asText();
        JsonNode[] summary = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            summary[0] = app.get("/v1/batches/" + id).json();
            return List.of("completed", "failed", "cancelled").contains(summary[0].path("status").asText());
        });
        int summedRpm = models.stream().mapToInt(ModelSpec::rpm).sum();
        long idealMs = Math.round(prompts * 60_000.0 / summedRpm);
        long durationMs = summary[0].path("durationMs").asLong();
        double ratio = durationMs / (double) idealMs;
        long refusals = llm.calls().stream().filter(c -> c.status() == 429).count();

        ObjectNode report = Json.object();
        report.put("scenario", "llm-pool");
        report.put("prompts", prompts);
        report.put("models", models.toString());
        report.put("summedRpm", summedRpm);
        report.put("latencyMs", latency.toMillis());
        report.put("status", summary[0].path("status").asText());
        report.put("succeeded", summary[0].path("succeeded").asInt());
        report.put("durationMs", durationMs);
        report.put("idealMs", idealMs);
        report.put("ratio", Math.round(ratio * 1000) / 1000.0);
        report.put("stub429s", refusals);
        ObjectNode perModel = report.putObject("perModel");
        for (ModelSpec model : models) {
            List<Long> arrivals = llm.calls(model.name()).stream().map(FakeLlm.Call::atNanos).sorted().toList();
            long busiestWindow = 0;
            for (long start : arrivals) {
                busiestWindow = Math.max(busiestWindow, arrivals.stream()
                        .filter(t -> t >= start && t < start + TimeUnit.SECONDS.toNanos(60)).count());
            }
            ObjectNode m = perModel.putObject(model.name());
            m.put("rpm", model.rpm());
            m.put("calls", arrivals.size());
            m.put("mostIn60s", busiestWindow);
        }
        report.put("pass", summary[0].path("succeeded").asInt() == prompts && refusals == 0 && ratio <= 1 + tolerance);
        return report;
    }
}
