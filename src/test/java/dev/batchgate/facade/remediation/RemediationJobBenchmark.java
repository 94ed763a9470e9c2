package dev.batchgate.facade.remediation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: submits one remediation job of {@code devices} × {@code lines}-line config pairs to a running
 * batchgate through the job API, polls it like the job API's Python client (every 500 ms here) until it ends (30 minutes at most), fetches
 * the results, and prints what it measured. Run by {@code bench/remediation.sh}, which starts the jar at
 * {@code -Xmx512m}.
 *
 * <p>Arguments: {@code <base url> [devices] [lines]}, 1,000 and 1,000 by default. Each intended config
 * differs from its running config in about 5% of its lines.
 */
public final class RemediationJobBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_JOB_TIME = Duration.ofMinutes(30);

    private RemediationJobBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int lines = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        HttpClient http = HttpClient.newHttpClient();

        Path body = Files.createTempFile("remediation-job", ".json");
        try {
            writeRequest(body, devices, lines);
            long bodyBytes = Files.size(body);

            long start = System.nanoTime();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/batch/remediation"))
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofFile(body)).build(), HttpResponse.BodyHandlers.ofString());
            double submitSeconds = seconds(start);
            if (created.statusCode() != 200) {
                throw new IllegalStateException("submit answered " + created.statusCode() + ": " + created.body());
            }
            String jobId = JSON.readTree(created.body()).path("job_id").asText();

            // polled like the job API's Python client does it (this runs on batchgate.jar's classpath: no Awaitility here)
            long deadline = System.nanoTime() + MAX_JOB_TIME.toNanos();
            JsonNode status;
            do {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job " + jobId + " did not end within " + MAX_JOB_TIME);
                }
                Thread.sleep(POLL.toMillis());
                status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/batch/jobs/" + jobId)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            } while (!status.path("status").asText().equals("completed") && !status.path("status").asText().equals("failed"));
            double jobSeconds = seconds(start);

            long resultsStart = System.nanoTime();
            HttpResponse<InputStream> results = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/batch/jobs/" + jobId + "/results")).build(), HttpResponse.BodyHandlers.ofInputStream());
            CountingStream counted = new CountingStream(results.body());
            JsonNode document = JSON.readTree(counted);
            double resultsSeconds = seconds(resultsStart);
            long remediationLines = 0;
            for (JsonNode result : document.path("results")) {
                remediationLines += result.path("remediation").asText().lines().count();
            }

            long configLines = 2L * devices * lines;
            System.out.printf(Locale.ROOT, "job %s: %s, %d devices x %d-line config pairs (%.1f MiB request), "
                    + "%d succeeded, %d failed%n", jobId, status.path("status").asText(), devices, lines,
                    bodyBytes / 1048576.0, status.path("completed_devices").asInt(), status.path("failed_devices").asInt());
            System.out.printf(Locale.ROOT, "submit (POST answered) %.1f s; POST to completed %.1f s: %.0f devices/s, "
                    + "%.0f config lines/s end to end%n", submitSeconds, jobSeconds, devices / jobSeconds,
                    configLines / jobSeconds);
            System.out.printf(Locale.ROOT, "results: %.1f MiB, %d remediation lines, fetched in %.1f s%n",
                    counted.count / 1048576.0, remediationLines, resultsSeconds);
        } finally {
            Files.deleteIfExists(body);
        }
    }

    private static void writeRequest(Path file, int devices, int lines) throws IOException {
        try (JsonGenerator json = JSON.getFactory().createGenerator(Files.newOutputStream(file))) {
            json.writeStartObject();
            json.writeArrayFieldStart("device_configs");
            for (int device = 0; device < devices; device++) {
                json.writeStartObject();
                json.writeStringField("device_id", "edge-" + device);
                json.writeStringField("platform", "cisco_ios");
                json.writeStringField("running_config", String.join("\n", config(device, lines, false)));
                json.writeStringField("intended_config", String.join("\n", config(device, lines, true)));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** An edge-router config of {@code size} lines; the intended one renames, re-addresses and drops a few things. */
    static List<String> config(int device, int size, boolean intended) {
        List<String> lines = new ArrayList<>(size);
        lines.add("hostname edge-" + device + (intended ? "-new" : ""));
        lines.add("service timestamps log datetime msec");
        lines.add("enable secret 9 $9$device" + device + "$notreallyahash");
        for (int port = 0; lines.size() < size * 6 / 10; port++) {
            lines.add("interface GigabitEthernet1/0/" + port);
            lines.add(" description " + (intended && (port + device) % 10 == 0 ? "re-cabled " : "access ") + port);
            lines.add(" switchport access vlan " + (100 + (port + device) % 20));
            lines.add(" switchport mode access");
            lines.add(" spanning-tree portfast");
            lines.add(intended && (port + device) % 25 == 0 ? " shutdown" : " no shutdown");
        }
        lines.add("router bgp 65000");
        lines.add(" bgp log-neighbor-changes");
        for (int peer = 1; peer <= size / 20; peer++) {
            if (!(intended && peer % 17 == 0)) {
                lines.add(" neighbor 10.1." + peer % 250 + "." + (1 + peer / 250) + " remote-as " + (65000 + peer));
            }
        }
        lines.add("ip access-list extended EDGE-IN");
        for (int entry = 0; entry < size / 10; entry++) {
            lines.add(" permit tcp any host 192.0.2." + entry % 250 + " eq " + (intended && entry % 20 == 0 ? 8443 : 443 + entry / 250));
        }
        for (int route = 0; lines.size() < size; route++) {
            lines.add("ip route 10." + (intended && route % 30 == 0 ? 200 : 100) + "." + route % 250 + "." + route / 250
                    + " 255.255.255.255 192.0.2.1");
        }
        return lines;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Counts the bytes of the results document as the client reads them. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
