package dev.batchgate.observe;

import dev.batchgate.http.Responses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * The Prometheus scrape in the format the scraper's {@code Accept} asks for: OpenMetrics when it
 * accepts OpenMetrics, the Prometheus text format otherwise, each with its own Content-Type. Camel's
 * scrape on the same path declares one type only, so a request accepting only another one (even
 * {@code text/plain} without its version) matched no route.
 */
public final class MetricsScrape {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private MetricsScrape() {
    }

    /** Mounted ahead of Camel's scrape (its routes start at order 0) and behind the guards that go first. */
    public static void mountAhead(Router router, String path, PrometheusMeterRegistry registry) {
        router.route(HttpMethod.GET, path).order(-1).blockingHandler(ctx -> scrape(ctx, registry), false);
    }

    private static String contentType(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text") ? OPENMETRICS
                : PROMETHEUS_TEXT;
    }

    private static void scrape(RoutingContext ctx, PrometheusMeterRegistry registry) {
        String contentType = contentType(ctx.request().getHeader(HttpHeaders.ACCEPT));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            // the registry picks its writer by the content type given
            registry.scrape(body, contentType);
        } catch (IOException e) {
            Responses.failure(ctx, e);
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(Buffer.buffer(body.toByteArray()));
    }
}
