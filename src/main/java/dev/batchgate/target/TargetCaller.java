package dev.batchgate.target;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.json.Json;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * Makes one downstream call, without blocking a thread: HTTP through a non-blocking Vert.x client
 * (the fastest client measured here), Camel endpoints through a ProducerTemplate. Response bodies
 * are kept up to 64 KiB; a longer body is cut and the connection dropped, so memory stays bounded
 * whatever the downstream sends.
 */
public final class TargetCaller implements AutoCloseable {

    public static final int MAX_KEPT_BODY = 64 * 1024;

    private final Vertx vertx;
    private final HttpClient http;
    /**
     * The one event loop every HTTP call runs on. Called from item threads, Vert.x would give each
     * call a new context on the next event loop, and a pooled connection living on another loop
     * then hands each request and its response across threads (about a third of the client's CPU).
     */
    private final Context context;
    /** The thread of {@code context}'s event loop: a call made there (the next item, started by an answer) leaves at once. */
    private volatile Thread loopThread;
    private final CamelContext camel;
    private ProducerTemplate producer;

    public TargetCaller(Vertx vertx, CamelContext camel) {
        this.vertx = vertx;
        this.camel = camel;
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000).setMaxInitialLineLength(8192),
                new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1));
        this.context = vertx.getOrCreateContext();
        context.runOnContext(v -> loopThread = Thread.currentThread());
    }

    public CompletableFuture<CallOutcome> call(ResolvedRequest request, Duration timeout) {
        return request.endpointUri() != null ? callEndpoint(request, timeout) : callHttp(request, timeout);
    }

    private CompletableFuture<CallOutcome> callHttp(ResolvedRequest request, Duration timeout) {
        CompletableFuture<CallOutcome> result = new CompletableFuture<>();
        long timeoutMs = Math.max(1, timeout.toMillis());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method()))
                .setAbsoluteURI(request.url())
                .setConnectTimeout(Math.min(timeoutMs, 10_000));
        request.headers().forEach(options::putHeader);
        if (request.body() != null && !request.headers().containsKey("Content-Type")) {
            options.putHeader("Content-Type", "application/json");
        }
        if (Thread.currentThread() == loopThread) {
            startHttp(request, options, timeout, result);
        } else {
            context.runOnContext(v -> startHttp(request, options, timeout, result));
        }
        return result;
    }

    private void startHttp(ResolvedRequest request, RequestOptions options, Duration timeout,
            CompletableFuture<CallOutcome> result) {
        AtomicBoolean done = new AtomicBoolean();
        HttpClientRequest[] sent = new HttpClientRequest[1];
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
            if (done.compareAndSet(false, true)) {
                if (sent[0] != null) {
                    sent[0].reset();
                }
                result.complete(CallOutcome.retryable("timed out after " + timeout.toMillis() + " ms"));
            }
        });
        Runnable cancelTimer = () -> vertx.cancelTimer(timer);
        http.request(options).onComplete(ar -> {
            if (ar.failed()) {
                finish(done, result, cancelTimer, connectFailure(ar.cause()));
                return;
            }
            HttpClientRequest req = ar.result();
            sent[0] = req;
            req.response().onComplete(respResult -> {
                if (respResult.failed()) {
                    finish(done, result, cancelTimer, connectFailure(respResult.cause()));
                    return;
                }
                readBody(respResult.result(), req, done, result, cancelTimer);
            });
            (request.body() == null ? req.end() : req.end(request.body())).onFailure(
                    e -> finish(done, result, cancelTimer, connectFailure(e)));
        });
    }

    private void readBody(HttpClientResponse response, HttpClientRequest request, AtomicBoolean done,
            CompletableFuture<CallOutcome> result, Runnable cancelTimer) {
        Buffer body = Buffer.buffer();
        boolean[] cut = {false};
        Duration retryAfter = RetryAfter.parse(response.getHeader("Retry-After"), Instant.now());
        response.handler(chunk -> {
            if (cut[0]) {
                return;
            }
            int room = MAX_KEPT_BODY - body.length();
            if (chunk.length() <= room) {
                body.appendBuffer(chunk);
                return;
            }
            body.appendBuffer(chunk, 0, room);
            cut[0] = true;
            // the outcome first: resetting makes the response fail at once, which must not count as the outcome
            finish(done, result, cancelTimer, CallOutcome.ofStatus(response.statusCode(), bodyOf(body, true), retryAfter));
            request.reset();
        });
        response.exceptionHandler(e -> finish(done, result, cancelTimer,
                CallOutcome.retryable("connection failed while reading the response: " + describe(e))));
        response.endHandler(v -> finish(done, result, cancelTimer,
                CallOutcome.ofStatus(response.statusCode(), bodyOf(body, false), retryAfter)));
    }

    private static JsonNode bodyOf(Buffer body, boolean cut) {
        if (body.length() == 0) {
            return null;
        }
        String text = body.toString(java.nio.charset.StandardCharsets.UTF_8);
        return cut ? Json.MAPPER.getNodeFactory().textNode(text + "…[cut at 64 KiB]") : Json.readLenient(text);
    }

    private static void finish(AtomicBoolean done, CompletableFuture<CallOutcome> result, Runnable cancelTimer,
            CallOutcome outcome) {
        if (done.compareAndSet(false, true)) {
            cancelTimer.run();
            result.complete(outcome);
        }
    }

    private static CallOutcome connectFailure(Throwable e) {
        return CallOutcome.retryable("connection failed: " + describe(e));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private CompletableFuture<CallOutcome> callEndpoint(ResolvedRequest request, Duration timeout) {
        Map<String, Object> headers = Map.copyOf(request.headers());
        return producer().asyncRequestBodyAndHeaders(request.endpointUri(), request.body(), headers)
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((body, error) -> {
                    if (error == null) {
                        return new CallOutcome(CallOutcome.Kind.SUCCEEDED, null, toJson(body), null, null);
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof java.util.concurrent.TimeoutException) {
                        return CallOutcome.retryable("timed out after " + timeout.toMillis() + " ms");
                    }
                    Throwable root = cause.getCause() != null ? cause.getCause() : cause;
                    return root instanceof IOException ? CallOutcome.retryable(describe(root)) : CallOutcome.failed(describe(root));
                });
    }

    /** Created on first use: a template can only start once the Camel context does. */
    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = camel.createProducerTemplate();
        }
        return producer;
    }

    private static JsonNode toJson(Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof String s) {
            return Json.readLenient(s);
        }
        if (body instanceof byte[] bytes) {
            return Json.readLenient(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
        return Json.MAPPER.valueToTree(body);
    }

    @Override
    public void close() {
        http.close();
    }
}
