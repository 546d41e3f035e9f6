package io.sparkprop.io;

/**
 * The input data is not what the job expects. The message names where (file, line, column or
 * row) and what was expected; it is meant for the user, who fixes the data, not for a stack trace.
 * May be thrown inside Spark tasks: the driver finds it in the cause chain of the job failure.
 */
public final class InvalidDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidDataException(String message) {
        super(message);
    }

    public InvalidDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
