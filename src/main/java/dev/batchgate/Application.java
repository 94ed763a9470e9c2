package dev.batchgate;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.main.Main;

/** Starts batchgate: Camel Main with the routes and properties of the working directory (or the bundled ones). */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = create();
        main.run(args);
    }

    /** A configured but not started Main; tests start it with their own override properties. */
    public static Main create() {
        // scans dev.batchgate for CamelConfiguration classes, which finds BatchgateConfiguration: adding it
        // again by hand would configure (and resume batches) twice
        Main main = new Main(Application.class);
        // ./application.properties wins over the bundled copy, which supplies defaults when run elsewhere
        main.setPropertyPlaceholderLocations(
                "file:application.properties;optional=true,classpath:application.properties;optional=true");
        main.configure().withRoutesIncludePattern(Files.isDirectory(Path.of("routes"))
                ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        return main;
    }
}
