package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.batch.BadRequestException.FieldError;
import dev.batchgate.config.ConfigValues;
import java.time.Duration;
import java.util.List;

/**
 * The fields every batch request shares, read the same way at every entry point: each problem is added
 * to {@code errors} (the caller answers them all at once) and a usable default is returned.
 */
public final class RequestFields {

    /** A batch may be given a year at most: a longer deadline is a typo, not a plan. */
    static final Duration MAX_DEADLINE = Duration.ofDays(365);

    private RequestFields() {
    }

    /** {@code async} (the default) or {@code sync}. */
    public static BatchSpec.Mode mode(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return BatchSpec.Mode.ASYNC;
        }
        if (node.isTextual() && (node.asText().equals("async") || node.asText().equals("sync"))) {
            return node.asText().equals("sync") ? BatchSpec.Mode.SYNC : BatchSpec.Mode.ASYNC;
        }
        errors.add(new FieldError("mode", null, "mode must be 'async' or 'sync'"));
        return BatchSpec.Mode.ASYNC;
    }

    /** {@code body.field} as a positive int, or null when absent (or wrong). */
    public static Integer positiveInt(JsonNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
            errors.add(new FieldError(field, null, field + " must be a positive integer"));
            return null;
        }
        return node.asInt();
    }

    /** A duration such as {@code "30s"}, above zero and at most {@link #MAX_DEADLINE}; null when absent (or wrong). */
    public static Duration deadline(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (node.isTextual()) {
                Duration d = ConfigValues.duration(node.asText());
                if (!d.isZero() && d.compareTo(MAX_DEADLINE) <= 0) {
                    return d;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new FieldError("deadline", null,
                "deadline must be a duration such as \"30s\" or \"10m\", at most " + MAX_DEADLINE.toDays() + "d"));
        return null;
    }
}
