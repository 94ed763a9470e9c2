package dev.batchgate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchgate.target.JsonPathValue;
import dev.batchgate.target.OperationConfig;
import java.util.Set;

/**
 * When an awaited operation has settled ({@code await}): the {@code await-field} of a poll's
 * answer reaches an {@code await-success} value (or, with none listed, any value that is not a failure
 * value), or an {@code await-failure} value. Without a field, any successful poll settles.
 */
public record SettleRule(JsonPathValue field, Set<String> success, Set<String> failure) {

    public enum Verdict { SETTLED, FAILED, WAITING }

    public static SettleRule of(OperationConfig op) {
        String field = op.awaitField();
        return new SettleRule(field == null || field.isBlank() ? null : JsonPathValue.parse(field), op.awaitSuccess(),
                op.awaitFailure());
    }

    public Verdict judge(JsonNode body) {
        if (field == null) {
            return Verdict.SETTLED;
        }
        String value = valueIn(body);
        if (value != null && failure.contains(value)) {
            return Verdict.FAILED;
        }
        if (value != null && (success.isEmpty() || success.contains(value))) {
            return Verdict.SETTLED;
        }
        return Verdict.WAITING;
    }

    /** {@code $.state was 'starting'}: the field and its last value, for errors. */
    public String describe(JsonNode body) {
        if (field == null) {
            return "no successful poll";
        }
        String value = valueIn(body);
        return field + " was " + (value == null ? "absent" : "'" + value + "'");
    }

    private String valueIn(JsonNode body) {
        return body == null ? null : field.read(body);
    }
}
