package dev.batchgate.dashboard;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard: {@code GET /} and its script and style, plain files bundled in the jar
 * under {@code dashboard/}; everything it shows comes from the HTTP API.
 */
public final class Dashboard {

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private Dashboard() {
    }

    public static void mount(Router router) {
        Map<String, Buffer> contents = new HashMap<>();
        FILES.keySet().forEach(name -> contents.put(name, read("dashboard/" + name)));
        router.route(HttpMethod.GET, "/").handler(ctx -> send(ctx, "index.html", contents));
        router.route(HttpMethod.GET, "/dashboard/:file").handler(ctx -> {
            String file = ctx.pathParam("file");
            if (contents.containsKey(file)) {
                send(ctx, file, contents);
            } else {
                ctx.next();
            }
        });
    }

    private static void send(RoutingContext ctx, String file, Map<String, Buffer> contents) {
        ctx.response().putHeader("Content-Type", FILES.get(file))
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(contents.get(file));
    }

    static Buffer read(String resource) {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
