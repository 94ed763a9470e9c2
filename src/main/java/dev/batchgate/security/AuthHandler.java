package dev.batchgate.security;

import dev.batchgate.json.Json;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code batchgate.api-keys} set, every call needs a key: {@code Authorization: Bearer <key>},
 * {@code X-API-Key: <key>}, or the dashboard's session cookie (a browser's EventSource cannot send
 * headers, so the dashboard logs in once at {@code /login}). Open without a key: health checks, the
 * login page itself and the built-in demo downstream (batchgate calls it without a key). Mounted
 * ahead of every other route, so nothing is reachable around it.
 */
public final class AuthHandler {

    public static final String SESSION_COOKIE = "batchgate_session";
    private static final Logger LOG = LoggerFactory.getLogger(AuthHandler.class);
    private static final List<String> OPEN_PREFIXES = List.of("/observe/health", "/login", "/logout", "/demo/");
    private static final int MAX_LOGIN_BODY = 4096;

    private final ApiKeys keys;
    private final Duration sessionLifetime;

    public AuthHandler(ApiKeys keys, Duration sessionLifetime) {
        this.keys = keys;
        this.sessionLifetime = sessionLifetime;
    }

    /** Puts the key check in front of every route already mounted or mounted later. */
    public void mountFirst(Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
        router.route(HttpMethod.GET, "/login").handler(ctx -> LoginPage.form(ctx, 200, null));
        router.route(HttpMethod.POST, "/login").handler(BodyHandler.create(false).setBodyLimit(MAX_LOGIN_BODY))
                .handler(this::login);
        router.route(HttpMethod.POST, "/logout").handler(this::logout);
    }

    private void check(RoutingContext ctx) {
        if (!keys.enabled() || isOpen(ctx.normalizedPath()) || authorized(ctx)) {
            ctx.next();
            return;
        }
        LOG.debug("refused {} {} from {}: no valid API key", ctx.request().method(), ctx.normalizedPath(),
                ctx.request().remoteAddress());
        if (wantsPage(ctx)) {
            ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/login").end();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"batchgate\"");
        json(ctx, 401, "error", "missing or wrong API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
    }

    static boolean isOpen(String path) {
        for (String prefix : OPEN_PREFIXES) {
            if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    private boolean authorized(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && keys.matches(authorization.substring(7).trim())) {
            return true;
        }
        if (keys.matches(ctx.request().getHeader("X-API-Key"))) {
            return true;
        }
        Cookie session = ctx.request().getCookie(SESSION_COOKIE);
        return session != null && keys.validSession(session.getValue(), Instant.now());
    }

    /** A browser asking for a page (the dashboard) is sent to the login form instead of a JSON 401. */
    private static boolean wantsPage(RoutingContext ctx) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        return ctx.request().method() == HttpMethod.GET && accept != null && accept.contains("text/html");
    }

    private void login(RoutingContext ctx) {
        boolean form = !isJson(ctx);
        String key = form ? ctx.request().getFormAttribute("key") : jsonKey(ctx);
        if (!keys.enabled()) {
            answerLogin(ctx, form, 200, "no API keys are configured: nothing to log in to");
            return;
        }
        if (key == null || !keys.matches(key.trim())) {
            LOG.info("dashboard login refused from {}", ctx.request().remoteAddress());
            if (form) {
                LoginPage.form(ctx, 401, "That key is not valid.");
            } else {
                json(ctx, 401, "error", "missing or wrong API key");
            }
            return;
        }
        Cookie cookie = Cookie.cookie(SESSION_COOKIE, keys.sessionToken(key.trim(), Instant.now().plus(sessionLifetime)))
                .setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(ctx.request().isSSL()).setMaxAge(sessionLifetime.toSeconds());
        ctx.response().addCookie(cookie);
        answerLogin(ctx, form, 200, "logged in");
    }

    private void logout(RoutingContext ctx) {
        ctx.response().addCookie(Cookie.cookie(SESSION_COOKIE, "").setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
        answerLogin(ctx, !isJson(ctx), 200, "logged out");
    }

    private static void answerLogin(RoutingContext ctx, boolean form, int status, String message) {
        if (form) {
            ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/").end();
        } else {
            json(ctx, status, "message", message);
        }
    }

    private static void json(RoutingContext ctx, int status, String field, String text) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.write(java.util.Map.of(field, text)));
    }

    private static boolean isJson(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json");
    }

    private static String jsonKey(RoutingContext ctx) {
        try {
            return ctx.body().asJsonObject().getString("key");
        } catch (RuntimeException e) {
            return null;
        }
    }
}
