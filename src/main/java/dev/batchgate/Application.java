package dev.batchgate;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.main.Main;
import sun.misc.Signal;

/** Starts batchgate: Camel Main with the routes and properties of the working directory (or the bundled ones). */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
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

    /** A configured but not started Main; tests start it with their own override properties. */
    public static Main create() {
        Main main = new Main(Application.class);
        // ./application.properties wins over the bundled copy, which supplies defaults when run elsewhere
        main.setPropertyPlaceholderLocations(
                "file:application.properties;optional=true,classpath:application.properties;optional=true");
        main.configure().withRoutesIncludePattern(Files.isDirectory(Path.of("routes"))
                ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        // BatchgateConfiguration is found by the package scan that Main(Application.class) turns on; adding it
        // here as well would configure it twice: two engines, two stores, every resumed batch run twice
        return main;
    }
}
