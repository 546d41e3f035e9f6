package io.sparkprop.engine;

import java.io.Serializable;

/**
 * What every {@link Metrics} implementation sums the same way: the rows, their weight and the
 * network's loss. Subclasses add their own sums in {@link #addRows} and {@link #mergeRows}, which
 * run before the row count and weight are updated, so they see those of the rows already held.
 *
 * <p>Every sum is weighted, each row by its weight or by 1 (null weights), so that an integer
 * weight counts like that many copies of the row; unweighted rows give exactly the unweighted
 * sums (a factor 1.0 changes no bit, and counts of rows stay exact in doubles up to 2⁵³).
 */
abstract class MetricsAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Probabilities are clamped to [ε, 1 − ε] before taking logs (scikit-learn's former default ε). */
    static final double LOG_LOSS_EPSILON = 1e-15;

    private final Metrics.Task task;
    /** k: classes, labels or regression outputs; 1 for binary. */
    final int outputs;
    long count;
    /** The rows' total weight: {@link #count} when they are unweighted. */
    double weight;
    private double lossSum;

    MetricsAccumulator(Metrics.Task task, int outputs) {
        requireOutputs(task, outputs);
        this.task = task;
        this.outputs = outputs;
    }

    /**
     * @throws IllegalArgumentException unless binary has 1 output, multiclass and multilabel at
     *         least 2, regression at least 1
     */
    static void requireOutputs(Metrics.Task task, int outputs) {
        boolean fits = switch (task) {
            case BINARY -> outputs == 1;
            case MULTICLASS, MULTILABEL -> outputs >= 2;
            case REGRESSION -> outputs >= 1;
        };
        if (!fits) {
            throw new IllegalArgumentException("a " + task.id() + " evaluation cannot have " + outputs
                    + " output(s) (binary needs 1, multiclass and multilabel at least 2, regression at least 1)");
        }
    }

    /**
     * Adds the task's own sums of {@code rows} rows (already checked to fit in the arrays), each
     * weighted by {@code weights[r]}, or by 1 when {@code weights} is null.
     */
    abstract void addRows(double[] o, double[] y, int rows, double[] weights);

    /** Row {@code r}'s weight: 1 without weights. */
    static double weightOf(double[] weights, int r) {
        return weights == null ? 1.0 : weights[r];
    }

    /** Adds {@code other}'s own sums (of the same class and width) into this one's. */
    abstract void mergeRows(MetricsAccumulator other);

    public Metrics.Task task() {
        return task;
    }

    public int outputs() {
        return outputs;
    }

    public long count() {
        return count;
    }

    public double weight() {
        return weight;
    }

    public double meanLoss() {
        return lossSum / weight;
    }

    public void add(double[] outputs, double[] targets, int rows, double lossSum) {
        add(outputs, targets, rows, lossSum, null);
    }

    public void add(double[] outputs, double[] targets, int rows, double lossSum, double[] weights) {
        int k = this.outputs;
        if (rows < 0 || (long) rows * k > outputs.length || (long) rows * k > targets.length) {
            throw new IllegalArgumentException(rows + " rows of " + k + " values do not fit in outputs of length "
                    + outputs.length + " and targets of length " + targets.length);
        }
        if (weights != null && weights.length < rows) {
            throw new IllegalArgumentException(rows + " rows do not fit in " + weights.length + " weights");
        }
        addRows(outputs, targets, rows, weights);
        count += rows;
        weight += totalWeight(weights, rows);
        this.lossSum += lossSum;
    }

    /** The weight of the first {@code rows} rows: {@code rows} when {@code weights} is null. */
    static double totalWeight(double[] weights, int rows) {
        if (weights == null) {
            return rows;
        }
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            total += weights[r];
        }
        return total;
    }

    /** {@link Metrics#merge}: checks that {@code other} is of the same task and width, then adds it. */
    final void mergeFrom(Metrics other) {
        MetricsAccumulator that = (MetricsAccumulator) other; // every Metrics is one (a sealed hierarchy)
        if (that.task != task || that.outputs != outputs) {
            throw new IllegalArgumentException("cannot merge a " + that.task.id() + " evaluation of " + that.outputs
                    + " output(s) into a " + task.id() + " evaluation of " + outputs);
        }
        mergeRows(that);
        count += that.count;
        weight += that.weight;
        lossSum += that.lossSum;
    }

    static double clampProbability(double p) {
        return Math.min(Math.max(p, LOG_LOSS_EPSILON), 1.0 - LOG_LOSS_EPSILON);
    }

    /**
     * F1 = 2tp / (2tp + fp + fn) of (weighted) counts; 0 when there is nothing to count
     * (scikit-learn's {@code zero_division=0}).
     */
    static double f1(double tp, double fp, double fn) {
        double denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0.0 : 2.0 * tp / denominator;
    }

    /** The plain mean of {@code values}, summed in order. */
    static double average(double[] values) {
        double sum = 0.0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[count=" + count + ", outputs=" + outputs + ", loss=" + meanLoss() + "]";
    }
}
