package io.sparkprop.io;

import java.io.IOException;
import org.apache.spark.SparkThrowable;

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

    /**
     * The input that could not be read behind a failed Spark job, once Spark's retries are spent:
     * an {@link UnreadableInputException} in its cause chain, or an I/O error while Spark read a
     * file, with that file's path; {@code null} if the job failed for another reason.
     */
    public static UnreadableInputException behind(Throwable failure) {
        String file = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnreadableInputException unreadable) {
                return unreadable;
            }
            if (file == null && t instanceof SparkThrowable s && s.getCondition() != null
                    && s.getCondition().startsWith("FAILED_READ_FILE")) {
                file = s.getMessageParameters().get("path");
            }
            if (file != null && t instanceof IOException io) {
                return new UnreadableInputException("cannot read " + file + ": " + io.getMessage(), failure);
            }
        }
        return null;
    }
}
