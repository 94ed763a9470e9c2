package dev.batchgate;

import dev.batchgate.mcp.McpServer;
import dev.batchgate.mcp.McpStdio;
import dev.batchgate.security.StartupSecrets;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.main.Main;
import sun.misc.Signal;

/** Starts batchgate: Camel Main with the routes and properties of the working directory (or the bundled ones). */
public final class Application {

    /** ./application.properties wins over the bundled copy, which supplies defaults when run elsewhere. */
    private static final List<String> PROPERTY_LOCATIONS = List.of("file:application.properties;optional=true",
            "classpath:application.properties;optional=true");

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        // checked before Camel's own argument parser could see (and refuse) the word
        if (args.length > 0 && args[0].equals("mcp")) {
            serveMcpOverStdio();
            return;
        }
        Main main = create();
        stopGracefullyOn(main, "TERM", "INT");
        int exitCode = main.run(args);
        System.exit(exitCode);
    }

    /**
     * SIGTERM and Ctrl-C stop Camel the orderly way (see GracefulShutdown) and the JVM then exits
     * with Camel's exit code, 0, instead of the 143/130 of a JVM killed by the signal.
     */
    private static void stopGracefullyOn(Main main, String... signals) {
        for (String name : signals) {
            Signal.handle(new Signal(name), signal -> main.completed());
        }
    }

    /**
     * {@code batchgate.jar mcp}: MCP over stdin/stdout until stdin ends. No HTTP server, so it runs
     * alongside a server on the same data directory (the H2 job store is shared, see JobStore), and
     * it resumes no batches at start: those belong to the server, which resumes them.
     */
    private static void serveMcpOverStdio() throws Exception {
        PrintStream protocolOut = McpStdio.reserveStandardOutput();
        Main main = create();
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        main.start();
        try {
            McpServer server = main.getCamelContext().getRegistry()
                    .lookupByNameAndType(BatchgateConfiguration.MCP_SERVER, McpServer.class);
            new McpStdio(server, System.in, protocolOut).run();
        } finally {
            main.stop();
        }
        System.exit(0);
    }

    /** A configured but not started Main; tests start it with their own override properties. */
    public static Main create() {
        // before Main exists: Camel logs property values at DEBUG from its first line on
        StartupSecrets.register(PROPERTY_LOCATIONS, System.getenv(), System.getProperties());
        // not Main(Application.class): that also scans dev.batchgate, finds BatchgateConfiguration and runs it a second time
        Main main = new Main();
        main.setPropertyPlaceholderLocations(String.join(",", PROPERTY_LOCATIONS));
        main.configure().withRoutesIncludePattern(Files.isDirectory(Path.of("routes"))
                ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        // the package scan that Main(Application.class) turns on would find BatchgateConfiguration a second time
        main.configure().withBasePackageScanEnabled(false).addConfiguration(BatchgateConfiguration.class);
        return main;
    }
}
