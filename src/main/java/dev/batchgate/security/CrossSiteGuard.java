package dev.batchgate.security;

import dev.batchgate.json.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps web pages of other sites from changing anything through a user's browser. A browser lets any
 * page send a POST with a form, a text/plain or an untyped body to any address without asking (no CORS
 * preflight), so on every unsafe method (POST, PUT, PATCH, DELETE):
 * <ul>
 *   <li>an {@code Origin} that is not a loopback one, not the server's own (the {@code Host} it was called by) nor listed in
 *       {@code batchgate.allowed-origins}, or {@code Sec-Fetch-Site: cross-site} without an allowed
 *       {@code Origin}: 403;
 *   <li>a body not declared {@code application/json} (or {@code +json}), untyped bodies included: 415 —
 *       a JSON type is what a page of another site cannot send without a preflight. The login form
 *       ({@code /login}, {@code /logout}) posts a form on purpose and gets only the origin rule.
 * </ul>
 * Clients that are not browsers (curl, SDKs, batchgate calling its demo) send no {@code Origin} and pass.
 */
public final class CrossSiteGuard {

    private static final Logger LOG = LoggerFactory.getLogger(CrossSiteGuard.class);
    private static final Set<HttpMethod> UNSAFE = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final Set<String> FORM_PATHS = Set.of("/login", "/logout");

    /** Why a request was refused: the status and the JSON error to answer. */
    public record Refusal(int status, String error) {
    }

    private final Set<String> allowedOrigins;

    public CrossSiteGuard(Set<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins.stream().map(CrossSiteGuard::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /** {@code batchgate.allowed-origins}: a comma-separated list such as {@code https://ops.example.com}. */
    public static CrossSiteGuard parse(String allowedOrigins) {
        return new CrossSiteGuard(Arrays.stream(allowedOrigins.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet()));
    }

    /** Right after the key and URL checks and ahead of every body read, so no handler sees a refused request. */
    public void mountFirst(Router router) {
        router.route().order(Integer.MIN_VALUE + 3).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        Optional<Refusal> refusal = refusal(ctx.request().method(), ctx.normalizedPath(), ctx.request().headers());
        if (refusal.isEmpty()) {
            ctx.next();
            return;
        }
        LOG.info("refused {} {} from {}: {}", ctx.request().method(), ctx.normalizedPath(), ctx.request().remoteAddress(),
                refusal.get().error());
        ctx.response().setStatusCode(refusal.get().status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.write(Map.of("error", refusal.get().error())));
    }

    /** The refusal due for a request with these headers, if any. */
    public Optional<Refusal> refusal(HttpMethod method, String path, MultiMap headers) {
        if (!UNSAFE.contains(method)) {
            return Optional.empty();
        }
        String origin = headers.get(HttpHeaders.ORIGIN);
        if (origin != null) {
            if (!isLoopback(origin) && !sameOrigin(origin, headers.get(HttpHeaders.HOST))
                    && !allowedOrigins.contains(normalize(origin))) {
                return Optional.of(new Refusal(403, "cross-origin request refused: origin " + origin
                        + " is not this server; list it in batchgate.allowed-origins to allow it"));
            }
        } else if ("cross-site".equalsIgnoreCase(headers.get("Sec-Fetch-Site"))) {
            return Optional.of(new Refusal(403, "cross-site request refused: a page of another site sent it"));
        }
        if (hasBody(headers) && !FORM_PATHS.contains(path) && !isJson(headers.get(HttpHeaders.CONTENT_TYPE))) {
            String type = headers.get(HttpHeaders.CONTENT_TYPE);
            return Optional.of(new Refusal(415, "the body must be JSON (Content-Type: application/json), got "
                    + (type == null || type.isBlank() ? "no Content-Type" : type.split(";")[0].trim())));
        }
        return Optional.empty();
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json");
    }

    private static boolean hasBody(MultiMap headers) {
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        return headers.contains(HttpHeaders.TRANSFER_ENCODING) || length != null && !length.trim().equals("0");
    }

    /**
     * The origin's host and port against the Host header the request came with (scheme aside: a proxy may
     * end TLS). Only for an IP address or {@code localhost}: a page on a domain name the attacker owns can
     * point that name at 127.0.0.1 (DNS rebinding) and would then be "same origin"; a server reached by a
     * domain name lists that origin in {@code batchgate.allowed-origins}.
     */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false; // "null" (a sandboxed page, a file) or something that is no origin
            }
            int defaultPort = uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            URI hostUri = URI.create("//" + host.trim());
            int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
            int hostPort = hostUri.getPort() == -1 ? defaultPort : hostUri.getPort();
            return uri.getHost().equalsIgnoreCase(hostUri.getHost()) && originPort == hostPort
                    && isAddressOrLocalhost(uri.getHost());
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** A page served by this machine itself (a local tool such as an MCP inspector) on any port. */
    static boolean isLoopback(String origin) {
        try {
            String host = URI.create(origin.trim()).getHost();
            return host != null && (host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]"));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static boolean isAddressOrLocalhost(String host) {
        return host.equalsIgnoreCase("localhost") || host.startsWith("[") || host.matches("[0-9.]+");
    }

    /** Origins compare as scheme://host[:port], lower case, without a trailing slash. */
    private static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
