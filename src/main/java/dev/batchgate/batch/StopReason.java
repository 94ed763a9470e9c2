package dev.batchgate.batch;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a batch stopped before running every item. */
public enum StopReason {
    FAIL_FAST, MAX_FAILURE_PERCENT, DEADLINE, TRANSACTION_ROLLED_BACK, STOP_ON_FAILURE, CANCELLED, SHUTDOWN;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StopReason fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
