package io.sparkprop.io;

import org.apache.spark.TaskContext;

/**
 * The input data is not what the job expects. The message names where (file, line, column or
 * row) and what was expected; it is meant for the user, who fixes the data, not for a stack trace.
 * May be thrown inside Spark tasks: the driver finds it in the cause chain of the job failure.
 * Thrown in a task, it remembers that task's stage, so the driver can end the stage at once
 * (retrying a task cannot fix its data).
 */
public final class InvalidDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int stageId = stageOfCurrentTask();

    public InvalidDataException(String message) {
        super(message);
    }

    public InvalidDataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The Spark stage of the task that found the problem, or -1 when it was found outside a task. */
    public int stageId() {
        return stageId;
    }

    private static int stageOfCurrentTask() {
        TaskContext task = TaskContext.get();
        return task == null ? -1 : task.stageId();
    }
}
