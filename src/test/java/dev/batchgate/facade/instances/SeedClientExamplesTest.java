package dev.batchgate.facade.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.batchgate.testing.BatchgateTestApp;
import dev.batchgate.testing.StubServer;
import dev.batchgate.testing.StubServer.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's own client examples (src/test/resources/seeds), unchanged but for the port, against the
 * instance-manager facade: the Python {@code requests} one and the JavaScript {@code fetch} one.
 */
class SeedClientExamplesTest {

    static StubServer stub;
    static BatchgateTestApp app;

    @TempDir
    Path scripts;

    @BeforeAll
    static void start() {
        stub = new StubServer().respond(r -> r.path().startsWith("/instances/instance-3/")
                ? Reply.json(404, "{\"error\":\"Could not start instance. Check if instance exists and has a pipeline.\"}")
                : Reply.json(200, "{\"state\":\"running\"}"));
        app = new BatchgateTestApp().with("batchgate.targets.instances.url", stub.url()).start();
    }

    @AfterAll
    static void stop() {
        app.close();
        stub.close();
    }

    @Test
    void should_print_the_started_count_when_the_seed_python_requests_example_runs() throws Exception {
        assumeTrue(commandWorks("python3", "-c", "import requests"),
                "python3 with the requests module is not installed (apt-get install python3-requests)");

        String output = runExample("000_batch_start.py", "python3");

        assertThat(output).isEqualTo("Started 2 out of 3 instances");
    }

    @Test
    void should_print_the_started_count_when_the_seed_javascript_fetch_example_runs() throws Exception {
        assumeTrue(commandWorks("node", "-e", "if (typeof fetch !== 'function') process.exit(1)"),
                "node with a global fetch (Node 18+) is not installed");

        String output = runExample("000_batch_start.js", "node");

        assertThat(output).isEqualTo("Started 2 out of 3 instances");
    }

    /** Copies the example with its port changed to the app's, runs it, and returns what it printed. */
    private String runExample(String name, String interpreter) throws Exception {
        String source = new String(getClass().getResourceAsStream("/seeds/" + name).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(source).contains("localhost:8848");
        Path script = scripts.resolve(name);
        Files.writeString(script, source.replace("localhost:8848", "localhost:" + app.port()));
        Process process = new ProcessBuilder(interpreter, script.toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", name).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static boolean commandWorks(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
