package io.sparkprop.spark;

import java.util.Arrays;
import org.apache.spark.TaskContext;

/**
 * A test hook that makes chosen tasks of the training steps fail on their first attempt, so tests
 * can show that Spark's retry of a task changes nothing: each partition's sum reaches the driver
 * once, from the attempt that succeeded, and the model comes out bitwise the same.
 *
 * <p>A job's tasks see the Spark local property {@value #FAIL_FIRST_ATTEMPT} of the driver thread
 * that submitted the job ({@code sc.setLocalProperty(FAIL_FIRST_ATTEMPT, "0,2")}): a
 * comma-separated list of partition indices whose tasks throw on attempt 0 (of the stage's first
 * attempt: a failed barrier task makes Spark run the whole stage again, with attempt numbers from
 * 0). Unset — always, outside
 * tests — it costs one property lookup per task.
 */
public final class FaultInjection {
    /** The local property naming the partitions whose tasks fail on their first attempt. */
    public static final String FAIL_FIRST_ATTEMPT = "sparkprop.faults.failFirstAttempt";

    private FaultInjection() {
    }

    /** Called first in a task: throws if this is the first attempt of a task the property names. */
    static void failIfChosen() {
        TaskContext task = TaskContext.get();
        String chosen = task == null ? null : task.getLocalProperty(FAIL_FIRST_ATTEMPT);
        if (chosen == null || task.attemptNumber() > 0 || task.stageAttemptNumber() > 0) {
            return;
        }
        if (Arrays.stream(chosen.split(",")).map(String::trim).anyMatch(p -> p.equals(Integer.toString(task.partitionId())))) {
            throw new IllegalStateException("injected failure of partition " + task.partitionId() + ", attempt 0, stage "
                    + task.stageId() + " (" + FAIL_FIRST_ATTEMPT + ")");
        }
    }
}
