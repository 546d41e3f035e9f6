package io.sparkprop.spark;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Spark's task metrics of one run's training steps, summed as the tasks end: the time tasks ran
 * (deserializing, running, serializing the result), apart for the steps' own tasks and for the
 * merge tasks of their tree aggregation (those that read a shuffle). The driver marks the jobs to
 * count with {@link #marking} while it submits them, so other jobs of the application, the
 * validation passes among them, are left out.
 */
final class StepTaskTimes extends SparkListener implements AutoCloseable {
    private static final String PROPERTY = "sparkprop.steps";

    /** Task milliseconds summed so far. */
    record Totals(long stepMillis, long mergeMillis) {
        Totals minus(Totals earlier) {
            return new Totals(stepMillis - earlier.stepMillis, mergeMillis - earlier.mergeMillis);
        }
    }

    private final SparkContext sc;
    private final String run = UUID.randomUUID().toString();
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    private long stepMillis;
    private long mergeMillis;

    private StepTaskTimes(SparkContext sc) {
        this.sc = sc;
    }

    /** Starts counting the marked jobs of {@code sc}; {@link #close} stops. */
    static StepTaskTimes listen(SparkContext sc) {
        StepTaskTimes times = new StepTaskTimes(sc);
        sc.addSparkListener(times);
        return times;
    }

    /** Counts the jobs this thread submits while {@code on}. */
    void marking(boolean on) {
        sc.setLocalProperty(PROPERTY, on ? run : null);
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        if (submitted.properties() != null && run.equals(submitted.properties().getProperty(PROPERTY))) {
            stages.add(submitted.stageInfo().stageId());
        }
    }

    /** Spark tells of a stage's tasks before it tells the stage completed: its id is no longer needed. */
    @Override
    public void onStageCompleted(SparkListenerStageCompleted completed) {
        stages.remove(completed.stageInfo().stageId());
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics metrics = end.taskMetrics();
        if (metrics == null || !stages.contains(end.stageId())) {
            return;
        }
        long millis = metrics.executorDeserializeTime() + metrics.executorRunTime() + metrics.resultSerializationTime();
        if (metrics.shuffleReadMetrics().totalBlocksFetched() > 0) {
            mergeMillis += millis;
        } else {
            stepMillis += millis;
        }
    }

    /** The totals over every task that has ended so far (waits until Spark has told of them). */
    Totals totals() {
        MemoryUse.drainListenerBus(sc);
        synchronized (this) {
            return new Totals(stepMillis, mergeMillis);
        }
    }

    @Override
    public void close() {
        marking(false);
        sc.removeSparkListener(this);
    }
}
