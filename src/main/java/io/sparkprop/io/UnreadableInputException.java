package io.sparkprop.io;

/**
 * An input path is missing or could not be read (an I/O error that Spark's retries did not cure).
 * The message names the path; like {@link InvalidDataException} it is meant for the user, not
 * for a stack trace.
 */
public final class UnreadableInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnreadableInputException(String message) {
        super(message);
    }

    public UnreadableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
