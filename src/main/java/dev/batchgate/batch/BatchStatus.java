package dev.batchgate.batch;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum BatchStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public static BatchStatus fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
