package io.sparkprop.spark;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where an epoch's wall-clock time went, in seconds that add up to the epoch's. Task times are
 * Spark's task metrics summed over the tasks and spread over the task slots that ran them at once.
 *
 * @param compute the engine's forward and backward passes in the tasks, over the slots
 * @param tasks the tasks' other time, over the slots: reading the broadcast weights, gathering
 *        the step's rows, deserializing the task and serializing its result
 * @param broadcast the driver's time creating and removing the weights' broadcasts
 * @param aggregation merging the partial sums: the tree aggregation's merge tasks, over the
 *        slots; with barrier steps, everything the steps spent besides computing and updating
 *        (gathering the rows, waiting for the slowest task, the exchange of sums)
 * @param update the driver's optimizer update
 * @param scheduling the rest: starting jobs and tasks, results coming back, the driver's last
 *        merge (none is counted apart with barrier steps)
 */
public record TimeBreakdown(double compute, double tasks, double broadcast, double aggregation, double update,
                            double scheduling) implements java.io.Serializable {
    /** Not measured: epochs of a checkpoint written before the breakdown existed. */
    public static final TimeBreakdown UNKNOWN = new TimeBreakdown(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    /**
     * The breakdown of an epoch of {@code seconds} wall clock run with one Spark job per step: the
     * rest after the measured parts is scheduling.
     */
    static TimeBreakdown ofJobs(double seconds, double compute, double tasks, double broadcast, double aggregation,
                                double update) {
        return within(seconds, new TimeBreakdown(compute, Math.max(0, tasks), broadcast, aggregation, update, 0),
                false);
    }

    /** The breakdown of an epoch of {@code seconds} run with barrier steps: the rest is the exchange. */
    static TimeBreakdown ofBarrier(double seconds, double compute, double update) {
        return within(seconds, new TimeBreakdown(compute, 0, 0, 0, update, 0), true);
    }

    /**
     * {@code measured} with the rest of {@code seconds} as scheduling (or, for barrier steps, as
     * aggregation), so that the parts add up to the epoch. Task times spread over the slots can
     * exceed the epoch's wall clock (slots not all busy; barrier tasks a step or two ahead of the
     * driver), and then the measured parts are scaled down to fill it.
     */
    private static TimeBreakdown within(double seconds, TimeBreakdown measured, boolean barrier) {
        double sum = measured.asMap().values().stream().mapToDouble(Double::doubleValue).sum();
        double scale = sum > seconds && sum > 0 ? seconds / sum : 1;
        double rest = Math.max(0, seconds - sum);
        return new TimeBreakdown(scale * measured.compute, scale * measured.tasks, scale * measured.broadcast,
                scale * measured.aggregation + (barrier ? rest : 0), scale * measured.update, barrier ? 0 : rest);
    }

    /**
     * Whether the parts were measured (not {@link #UNKNOWN}). Asked of the values, not by identity:
     * an epoch restored from a checkpoint is a new instance.
     */
    public boolean known() {
        return !Double.isNaN(compute);
    }

    /** The parts of both epochs added up; unknown if either is. */
    public TimeBreakdown plus(TimeBreakdown other) {
        return new TimeBreakdown(compute + other.compute, tasks + other.tasks, broadcast + other.broadcast,
                aggregation + other.aggregation, update + other.update, scheduling + other.scheduling);
    }

    /** E.g. "compute 71%, tasks 9%, broadcast 1%, aggregation 2%, update 4%, scheduling 13%" of {@code seconds}. */
    public String describe(double seconds) {
        if (!known()) {
            return "not measured";
        }
        StringBuilder s = new StringBuilder();
        asMap().forEach((name, value) -> {
            if (value > 0 || name.equals("compute")) {
                s.append(s.length() == 0 ? "" : ", ").append(name)
                        .append(String.format(Locale.ROOT, " %.0f%%", 100 * value / seconds));
            }
        });
        return s.toString();
    }

    /** The parts by name, in seconds, in the order of the record. */
    public Map<String, Double> asMap() {
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("compute", compute);
        parts.put("tasks", tasks);
        parts.put("broadcast", broadcast);
        parts.put("aggregation", aggregation);
        parts.put("update", update);
        parts.put("scheduling", scheduling);
        return parts;
    }
}
