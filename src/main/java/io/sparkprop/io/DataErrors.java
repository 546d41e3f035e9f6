package io.sparkprop.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@link InvalidDataException} behind a failed Spark job. A task's data error reaches
 * the driver either in the job failure's cause chain, or — when the task-failure plugin
 * ({@code spark.TaskFailures}) ended the job at once by cancelling its stage — only by the key
 * that the cancellation's reason carries, under which the error was remembered here.
 */
public final class DataErrors {
    /** Marks a job cancelled for a data error; followed by the error's key. */
    private static final String MARK = "sparkprop data error ";
    private static final Pattern KEY = Pattern.compile(Pattern.quote(MARK) + "([0-9a-f-]{36})");
    private static final int REMEMBERED = 64;

    /**
     * The data errors that cancelled jobs, by key, until the driver asks for them. Static because
     * Spark creates the plugin and the driver's code only sees the job's failure; bounded, as
     * nobody may ask.
     */
    private static final Map<String, InvalidDataException> CANCELLED = Collections.synchronizedMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, InvalidDataException> eldest) {
                    return size() > REMEMBERED;
                }
            });

    private DataErrors() {
    }

    /** A Spark job, run on the driver. */
    @FunctionalInterface
    public interface Job<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code job}; if it failed because of the data, throws that {@link InvalidDataException}
     * alone, so the user sees what is wrong with the data rather than the scheduler's wrapping.
     */
    public static <T> T rethrowing(Job<T> job) {
        try {
            return job.run();
        } catch (Exception e) {
            InvalidDataException data = find(e);
            if (data != null) {
                throw new InvalidDataException(data.getMessage(), e);
            }
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    /**
     * The data error behind a failed job: an {@link InvalidDataException} in its cause chain, or
     * the one that cancelled it; {@code null} if the job failed for another reason.
     */
    public static InvalidDataException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidDataException data) {
                return data;
            }
            Matcher key = KEY.matcher(String.valueOf(t.getMessage()));
            if (key.find()) {
                InvalidDataException data = CANCELLED.get(key.group(1));
                if (data != null) {
                    return data;
                }
            }
        }
        return null;
    }

    /**
     * Remembers {@code message} as the data error that ends a job and returns the reason to
     * cancel it with, which {@link #find} recognises.
     */
    public static String cancellationReason(String message) {
        String key = UUID.randomUUID().toString();
        CANCELLED.put(key, new InvalidDataException(message));
        return "bad input data (" + MARK + key + "): " + message;
    }
}
