package dev.batchgate.batch;

import java.util.List;

/**
 * A request batchgate refuses, with the HTTP status to answer and the fields at fault. The message
 * is a sentence for people; {@code details} name each field and item index for programs.
 */
public final class BadRequestException extends RuntimeException {

    private final int status;
    private final List<FieldError> details;

    public record FieldError(String field, Integer index, String message) {
    }

    public BadRequestException(int status, String message, List<FieldError> details) {
        super(message);
        this.status = status;
        this.details = List.copyOf(details);
    }

    public BadRequestException(int status, String message) {
        this(status, message, List.of());
    }

    public static BadRequestException of(List<FieldError> details) {
        FieldError first = details.get(0);
        String sentence = first.field() + ": " + first.message()
                + (details.size() > 1 ? " (and " + (details.size() - 1) + " more problems)" : "");
        return new BadRequestException(400, sentence, details);
    }

    public int status() {
        return status;
    }

    public List<FieldError> details() {
        return details;
    }
}
