package dev.batchgate.batch;

import java.util.List;

/**
 * A request batchgate refuses, with the kind of problem it is and the fields at fault. The message
 * is a sentence for people; {@code details} name each field and item index for programs.
 */
public final class BadRequestException extends RuntimeException {

    /** What is wrong with the request; each entry point answers it in its own protocol (HTTP maps it to a status). */
    public enum Kind {
        INVALID, NOT_FOUND, CONFLICT, TOO_LARGE, UNAVAILABLE
    }

    private final Kind kind;
    private final List<FieldError> details;

    public record FieldError(String field, Integer index, String message) {
    }

    private BadRequestException(Kind kind, String message, List<FieldError> details) {
        super(message);
        this.kind = kind;
        this.details = List.copyOf(details);
    }

    public static BadRequestException invalid(String message) {
        return invalid(message, List.of());
    }

    public static BadRequestException invalid(String message, List<FieldError> details) {
        return new BadRequestException(Kind.INVALID, message, details);
    }

    public static BadRequestException notFound(String message) {
        return notFound(message, List.of());
    }

    public static BadRequestException notFound(String message, List<FieldError> details) {
        return new BadRequestException(Kind.NOT_FOUND, message, details);
    }

    public static BadRequestException conflict(String message) {
        return new BadRequestException(Kind.CONFLICT, message, List.of());
    }

    public static BadRequestException tooLarge(String message) {
        return tooLarge(message, List.of());
    }

    public static BadRequestException tooLarge(String message, List<FieldError> details) {
        return new BadRequestException(Kind.TOO_LARGE, message, details);
    }

    public static BadRequestException unavailable(String message) {
        return new BadRequestException(Kind.UNAVAILABLE, message, List.of());
    }

    /** An invalid request whose sentence names the first field at fault and counts the others. */
    public static BadRequestException of(List<FieldError> details) {
        FieldError first = details.get(0);
        String sentence = first.field() + ": " + first.message()
                + (details.size() > 1 ? " (and " + (details.size() - 1) + " more problems)" : "");
        return invalid(sentence, details);
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldError> details() {
        return details;
    }
}
