package dev.batchgate.batch;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum ItemStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED, CANCELLED, ROLLED_BACK, ROLLBACK_FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The summary's counter name: {@code rolledBack}, {@code rollbackFailed}. */
    public String counterName() {
        return switch (this) {
            case ROLLED_BACK -> "rolledBack";
            case ROLLBACK_FAILED -> "rollbackFailed";
            default -> wire();
        };
    }

    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }

    public static ItemStatus fromWire(String text) {
        for (ItemStatus s : values()) {
            if (s.wire().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown item status '" + text + "'");
    }
}
