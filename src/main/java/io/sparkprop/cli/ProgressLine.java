package io.sparkprop.cli;

import io.sparkprop.spark.StepProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple4;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * train's live line on a terminal: what the run does now — reading and caching the data (the
 * records — lines, rows — Spark's readers have read so far, as its tasks report them with their heartbeats and when
 * they end), then {@code epoch 3/12 · step 17/59 · 21,368 rows/s · elapsed 0:41 · ETA 1:52} —
 * redrawn in place a few times a second and cleared when the epoch's summary line takes its place.
 * Where a phase has no steps to count (caching, a full-batch epoch), it counts the running Spark
 * tasks. progressbar draws it (finding the terminal's width, redrawing and clearing the line);
 * what it says is rendered here.
 */
final class ProgressLine implements AutoCloseable {
    private static final int REDRAW_MILLIS = 250;

    private final PrintStream terminal;
    private final SparkContext sc;
    private final JavaSparkStatusTracker tasks;
    private final RowsRead rowsRead = new RowsRead();
    private ProgressBar bar;
    private volatile String phase;
    private volatile StepProgress first; // the epoch's first report, so a resumed epoch's rate counts only its own steps
    private volatile StepProgress latest;
    private volatile long epochsStarted; // System.nanoTime() when the first epoch began, 0 before
    private volatile long stepsBeforeRun; // steps a resumed run had done before this process
    private volatile double secondsPerStep; // in the last whole epoch, 0 before one ended

    private ProgressLine(PrintStream terminal, SparkContext sc) {
        this.terminal = terminal;
        this.sc = sc;
        this.tasks = JavaSparkContext.fromSparkContext(sc).statusTracker();
    }

    /**
     * A line on {@code terminal} when this process runs on a terminal and {@code quiet} is off;
     * otherwise null, and the caller prints only its summary lines.
     */
    static ProgressLine onTerminal(boolean quiet, PrintStream terminal, SparkContext sc) {
        if (quiet || System.console() == null) {
            return null;
        }
        ProgressLine line = new ProgressLine(terminal, sc);
        sc.addSparkListener(line.rowsRead);
        return line;
    }

    /** Shows {@code name} (e.g. "reading and caching the data") with the running tasks. */
    synchronized void phase(String name) {
        clear();
        phase = name;
        latest = null;
        bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(-1)
                .setUpdateIntervalMillis(REDRAW_MILLIS).continuousUpdate().clearDisplayOnFinish()
                .setConsumer(new InteractiveConsoleProgressBarConsumer(terminal))
                .setRenderer(this::render).build();
    }

    /** Where the run is: at an epoch's beginning (step 0) a new epoch phase, else its next step. */
    synchronized void step(StepProgress progress) {
        if (progress.step() == 0 || latest == null || progress.epoch() != latest.epoch()) {
            if (epochsStarted == 0) {
                rowsRead.counting = false;
                epochsStarted = System.nanoTime();
                stepsBeforeRun = done(progress);
            } else if (latest != null && latest.step() == latest.steps() && first.step() == 0) {
                secondsPerStep = latest.epochSeconds() / latest.steps();
            }
            phase(String.format("epoch %d/%d", progress.epoch(), progress.epochs()));
            first = progress;
        }
        latest = progress;
    }

    /** Removes the line, so that a summary line can take its place. */
    synchronized void clear() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() {
        clear();
        sc.removeSparkListener(rowsRead);
    }

    /** The line: the phase, then steps or tasks, rows per second, elapsed time and the time left. */
    private String render(ProgressState state, int width) {
        StepProgress now = latest;
        List<String> parts = new ArrayList<>(List.of(phase));
        long read = rowsRead.total();
        if (epochsStarted == 0 && read > 0) {
            parts.add(String.format("%,d records read", read));
        }
        if (now != null && now.steps() > 1) {
            parts.add(String.format("step %d/%d", now.step(), now.steps()));
        } else {
            String running = runningTasks();
            if (running != null) {
                parts.add(running);
            }
        }
        StepProgress from = first;
        if (now != null && from != null && now.epochSeconds() > from.epochSeconds()) {
            parts.add(String.format("%,.0f rows/s", (now.rowsDone() - from.rowsDone())
                    / (now.epochSeconds() - from.epochSeconds())));
        }
        long started = epochsStarted;
        if (started != 0) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            parts.add("elapsed " + clock(elapsed));
            // By the last whole epoch's pace (the first epochs are slower: JIT, caches), else the run's so far.
            long done = done(now) - stepsBeforeRun;
            double pace = secondsPerStep > 0 ? secondsPerStep : done > 0 ? elapsed / done : 0;
            if (pace > 0 && now != null) { // none between epochs and after the last
                parts.add("ETA " + clock(pace * ((long) now.epochs() * now.steps() - done(now))));
            }
        } else {
            parts.add("elapsed " + clock(state.getElapsedAfterStart().toMillis() / 1e3));
        }
        String line = String.join(" · ", parts);
        return line.length() <= width ? line : line.substring(0, Math.max(0, width));
    }

    private static long done(StepProgress progress) {
        return progress == null ? 0 : (long) (progress.epoch() - 1) * progress.steps() + progress.step();
    }

    /** "tasks 3/8" over Spark's active stages, or null when none runs. */
    private String runningTasks() {
        int completed = 0;
        int total = 0;
        for (int id : tasks.getActiveStageIds()) {
            SparkStageInfo stage = tasks.getStageInfo(id);
            if (stage != null) {
                completed += stage.numCompletedTasks();
                total += stage.numTasks();
            }
        }
        return total == 0 ? null : String.format("tasks %d/%d", completed, total);
    }

    /**
     * The input records Spark's readers have read before the epochs: running tasks' counts from
     * their heartbeats, finished tasks' from their metrics.
     */
    static final class RowsRead extends SparkListener {
        private static final String RECORDS_READ = "internal.metrics.input.recordsRead";
        private final Map<Long, Long> running = new ConcurrentHashMap<>();
        private final AtomicLong finished = new AtomicLong();
        volatile boolean counting = true;

        @Override
        public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
            if (!counting) {
                return;
            }
            for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task
                    : CollectionConverters.asJava(update.accumUpdates())) {
                for (AccumulableInfo info : CollectionConverters.asJava(task._4())) {
                    if (info.name().contains(RECORDS_READ) && info.update().isDefined()
                            && info.update().get() instanceof Long records) {
                        running.put((Long) task._1(), records);
                    }
                }
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            running.remove(end.taskInfo().taskId());
            if (counting && end.taskMetrics() != null) {
                finished.addAndGet(end.taskMetrics().inputMetrics().recordsRead());
            }
        }

        long total() {
            return finished.get() + running.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** 0:41, 12:05, 1:02:07. */
    static String clock(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return d.toHours() > 0 ? String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
