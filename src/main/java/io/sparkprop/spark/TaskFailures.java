package io.sparkprop.spark;

import io.sparkprop.io.DataErrors;
import io.sparkprop.io.InvalidDataException;
import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.Success$;
import org.apache.spark.TaskEndReason;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.TaskKilled;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark plugin that keeps Spark's retries for what a retry can fix and no other:
 * <ul>
 *   <li>A task that fails on bad input (an {@link InvalidDataException}) ends its job at once,
 *       not after {@code spark.task.maxFailures} attempts: before the failure reaches the
 *       scheduler, the executor tells the driver, which cancels the task's stage and waits until
 *       it is cancelled, so the scheduler, when the failure arrives, has nothing left to retry.
 *       The job then fails as cancelled; {@link DataErrors#find(Throwable)} finds the data error
 *       behind that failure, for the driver to report it.</li>
 *   <li>Every other task failure (an I/O error, a lost executor) is logged on the driver as one
 *       WARN line naming the task, the attempt and the cause, and says whether Spark retries it.
 *       Spark's own per-attempt logs carry whole stack traces, so conf/log4j2.properties keeps
 *       them quiet.</li>
 * </ul>
 * Enable it with {@code spark.plugins=io.sparkprop.spark.TaskFailures} (the command line does).
 * Without it a data error still fails the job, only after Spark's retries.
 */
public final class TaskFailures implements SparkPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(TaskFailures.class);

    /** How long the driver waits for the scheduler to cancel a stage before letting the failure through. */
    private static final long CANCEL_WAIT_SECONDS = 30;

    @Override
    public DriverPlugin driverPlugin() {
        return new Driver();
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new Executor();
    }

    /** A task's report that it failed on bad input. */
    private record DataError(int stageId, String message) implements Serializable {
    }

    /** On every executor: reports data errors to the driver before the scheduler hears of the failure. */
    private static final class Executor implements ExecutorPlugin {
        private PluginContext context;

        @Override
        public void init(PluginContext ctx, Map<String, String> extraConf) {
            this.context = ctx;
        }

        @Override
        public void onTaskFailed(TaskFailedReason reason) {
            InvalidDataException data = reason instanceof ExceptionFailure failure && failure.exception().isDefined()
                    ? find(failure.exception().get()) : null;
            if (data == null || data.stageId() < 0) {
                return;
            }
            try {
                context.ask(new DataError(data.stageId(), data.getMessage())); // returns once the stage is cancelled
            } catch (Exception e) {
                LOG.warn("could not ask the driver to stop stage {} at once for a data error ({}); Spark may retry "
                        + "the task", data.stageId(), e.toString());
            }
        }

        private static InvalidDataException find(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof InvalidDataException data) {
                    return data;
                }
            }
            return null;
        }
    }

    /** On the driver: cancels stages with data errors and logs the other task failures. */
    private static final class Driver extends SparkListener implements DriverPlugin {
        private SparkContext sc;
        private int maxFailures;
        private final Map<Integer, CompletableFuture<Void>> cancelling = new ConcurrentHashMap<>();
        private final Set<Integer> ended = new LinkedHashSet<>();

        @Override
        public Map<String, String> init(SparkContext context, PluginContext pluginContext) {
            this.sc = context;
            this.maxFailures = maxTaskFailures(context);
            context.addSparkListener(this);
            return Map.of();
        }

        @Override
        public Object receive(Object message) throws Exception {
            if (message instanceof DataError error) {
                cancel(error);
            }
            return Boolean.TRUE;
        }

        private void cancel(DataError error) throws InterruptedException, java.util.concurrent.ExecutionException {
            CompletableFuture<Void> done;
            synchronized (ended) {
                if (ended.contains(error.stageId()) || cancelling.containsKey(error.stageId())) {
                    return; // another task of the stage got there first
                }
                done = new CompletableFuture<>();
                cancelling.put(error.stageId(), done);
            }
            sc.cancelStage(error.stageId(), DataErrors.cancellationReason(error.message()));
            try {
                done.get(CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                LOG.warn("stage {} was not cancelled within {} s of a data error; Spark may retry the task",
                        error.stageId(), CANCEL_WAIT_SECONDS);
            }
        }

        @Override
        public void onStageCompleted(SparkListenerStageCompleted event) {
            int stage = event.stageInfo().stageId();
            synchronized (ended) {
                ended.add(stage);
                if (ended.size() > 1000) {
                    ended.remove(ended.iterator().next());
                }
                CompletableFuture<Void> done = cancelling.remove(stage);
                if (done != null) {
                    done.complete(null);
                }
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd event) {
            TaskEndReason reason = event.reason();
            if (reason == Success$.MODULE$ || reason instanceof TaskKilled || !(reason instanceof TaskFailedReason failed)
                    || isDataError(reason)) {
                return; // killed attempts follow a cancellation or another attempt's success
            }
            TaskInfo task = event.taskInfo();
            int attempt = task.attemptNumber() + 1;
            boolean counts = failed.countTowardsTaskFailures();
            String next = neverRetried(reason) ? "not retried (Spark ends the job)"
                    : !counts || attempt < maxFailures ? "will be retried" : "no retries left";
            LOG.warn("task {}.{} in stage {}.{} (TID {}) failed, attempt {} of {}, {}: {}", task.index(),
                    task.attemptNumber(), event.stageId(), event.stageAttemptId(), task.taskId(), attempt, maxFailures,
                    next, cause(reason));
        }

        /** The failures Spark's scheduler aborts the job on at once, whatever the attempts left. */
        private static boolean neverRetried(TaskEndReason reason) {
            return reason instanceof ExceptionFailure failure
                    && (failure.className().equals(java.io.NotSerializableException.class.getName())
                    || failure.className().equals(org.apache.spark.TaskOutputFileAlreadyExistException.class.getName()));
        }

        private static boolean isDataError(TaskEndReason reason) {
            return reason instanceof ExceptionFailure failure
                    && (failure.className().equals(InvalidDataException.class.getName())
                    || failure.exception().isDefined() && DataErrors.find(failure.exception().get()) != null);
        }

        private static String cause(TaskEndReason reason) {
            String text = reason instanceof ExceptionFailure failure
                    ? failure.className() + ": " + failure.description()
                    : reason instanceof ExecutorLostFailure lost ? lost.toErrorString()
                    : ((TaskFailedReason) reason).toErrorString();
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline);
        }

        /** Spark's attempts per task: local[N,F] gives F, other local masters 1, a cluster spark.task.maxFailures. */
        private static int maxTaskFailures(SparkContext sc) {
            Matcher local = Pattern.compile("local\\[\\s*([0-9]+|\\*)\\s*,\\s*([0-9]+)\\s*]").matcher(sc.master());
            if (local.matches()) {
                return Integer.parseInt(local.group(2));
            }
            if (sc.isLocal()) {
                return 1;
            }
            return sc.getConf().getInt("spark.task.maxFailures", 4);
        }
    }
}
