package dev.batchgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchgate.batch.BadRequestException.Kind;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponsesTest {

    @Test
    void should_answer_each_kind_of_refusal_with_its_http_status_when_a_request_is_refused() {
        Map<Kind, Integer> statuses = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            statuses.put(kind, Responses.status(kind));
        }

        assertThat(statuses).isEqualTo(Map.of(Kind.INVALID, 400, Kind.NOT_FOUND, 404, Kind.CONFLICT, 409,
                Kind.TOO_LARGE, 413, Kind.UNAVAILABLE, 503));
    }
}
