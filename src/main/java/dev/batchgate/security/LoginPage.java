package dev.batchgate.security;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** The dashboard's login form: asks for an API key once; the answer sets the session cookie. */
final class LoginPage {

    private LoginPage() {
    }

    static void form(RoutingContext ctx, int status, String problem) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>batchgate · log in</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto}
                input{width:100%%;padding:.5rem;margin:.5rem 0}p.problem{color:#b00}</style></head>
                <body><h1>batchgate</h1>
                <form method="post" action="/login">
                <label for="key">API key</label>
                <input id="key" name="key" type="password" autocomplete="current-password" autofocus required>
                %s<button type="submit">Log in</button></form></body></html>
                """.formatted(problem == null ? "" : "<p class=\"problem\">" + problem + "</p>");
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(html);
    }
}
