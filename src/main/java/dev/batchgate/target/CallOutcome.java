package dev.batchgate.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The outcome of one attempt: 2xx succeeded; 408, 5xx, connect errors and timeouts are retryable;
 * 429 is rate-limited (pauses the whole target); any other status fails the item at once.
 */
public record CallOutcome(Kind kind, Integer httpStatus, JsonNode body, String error, Duration retryAfter) {

    public enum Kind { SUCCEEDED, RETRYABLE, RATE_LIMITED, FAILED }

    public static CallOutcome ofStatus(int status, JsonNode body, Duration retryAfter) {
        Kind kind;
        if (status >= 200 && status < 300) {
            kind = Kind.SUCCEEDED;
        } else if (status == 429) {
            kind = Kind.RATE_LIMITED;
        } else if (status == 408 || status >= 500) {
            kind = Kind.RETRYABLE;
        } else {
            kind = Kind.FAILED;
        }
        return new CallOutcome(kind, status, body, kind == Kind.SUCCEEDED ? null : httpError(status, body), retryAfter);
    }

    public static CallOutcome retryable(String error) {
        return new CallOutcome(Kind.RETRYABLE, null, null, error, null);
    }

    public static CallOutcome failed(String error) {
        return new CallOutcome(Kind.FAILED, null, null, error, null);
    }

    /** {@code HTTP 404: instance not found}: the status and the body's own message when it has one. */
    static String httpError(int status, JsonNode body) {
        String detail = null;
        if (body != null && body.isObject()) {
            for (String field : new String[] {"error", "message", "detail", "title"}) {
                JsonNode value = body.get(field);
                if (value != null && value.isTextual() && !value.asText().isBlank()) {
                    detail = value.asText();
                    break;
                }
                if (value != null && value.isObject() && value.path("message").isTextual()) {
                    detail = value.path("message").asText();
                    break;
                }
            }
        } else if (body != null && body.isTextual()) {
            detail = body.asText().strip();
        }
        if (detail == null || detail.isEmpty()) {
            return "HTTP " + status;
        }
        return "HTTP " + status + ": " + (detail.length() > 300 ? detail.substring(0, 300) + "…" : detail);
    }
}
