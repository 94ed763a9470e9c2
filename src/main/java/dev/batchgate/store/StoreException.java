package dev.batchgate.store;

import java.sql.SQLException;

/** A job-store failure. Duplicate keys are told apart so callers can answer 409/400 instead of 500. */
public final class StoreException extends RuntimeException {

    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    /** SQLState class 23: integrity constraint violation (a duplicate key, in practice). */
    public boolean isConstraintViolation() {
        return getCause() instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23");
    }
}
