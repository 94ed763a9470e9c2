package dev.batchgate.facade.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.testing.BatchgateTestApp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The seed's Python workflow (submit 100 devices, poll every 2 s, fetch the results), extracted verbatim
 * into {@code seeds/001_batch_remediation_client.py}, runs against the real app with only its port changed.
 */
class SeedRemediationClientTest {

    private static final String SEED_CLIENT = "/seeds/001_batch_remediation_client.py";

    @Test
    void should_run_the_seed_python_workflow_unchanged_but_for_the_port() throws Exception {
        String missing = pythonWithRequestsMissing();
        Assumptions.assumeTrue(missing == null, missing);
        String seed;
        try (InputStream in = getClass().getResourceAsStream(SEED_CLIENT)) {
            seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (BatchgateTestApp app = new BatchgateTestApp().start()) {
            Path client = app.dataDir().resolve("seed_client.py");
            Files.writeString(client, seed.replace("localhost:8000", "localhost:" + app.port()));

            Process python = new ProcessBuilder("python3", client.toString()).redirectErrorStream(true).start();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();

            assertThat(python.exitValue()).as(output).isZero();
            assertThat(output).containsPattern("Job created: b-\\w+")
                    .contains("Progress: 100.0% (100/100)")
                    .contains("router0: Ready for deployment\nno hostname router0\nhostname router0-new\n")
                    .contains("router99: Ready for deployment\nno hostname router99\nhostname router99-new\n")
                    .doesNotContain("FAILED");
            assertThat(output.lines().filter(line -> line.endsWith(": Ready for deployment"))).hasSize(100);
        }
    }

    /** Why the Python client cannot run here, or null when python3 with requests is installed. */
    private static String pythonWithRequestsMissing() throws InterruptedException {
        try {
            Process check = new ProcessBuilder("python3", "-c", "import requests").redirectErrorStream(true).start();
            check.getInputStream().readAllBytes();
            return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0 ? null
                    : "skipped: the Python client needs the Python package 'requests' (pip install requests)";
        } catch (IOException e) {
            return "skipped: the Python client needs python3 on the PATH";
        }
    }
}
