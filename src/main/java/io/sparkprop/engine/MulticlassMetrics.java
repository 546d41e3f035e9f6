package io.sparkprop.engine;

import java.util.Arrays;

/**
 * One class out of k ≥ 2 (a softmax output): a k × k confusion matrix and the summed log loss
 * (see {@link ClassificationMetrics} for how classes are decided), weighted when the rows are
 * (see {@link Metrics}).
 */
public final class MulticlassMetrics extends MetricsAccumulator implements ClassificationMetrics {
    private static final long serialVersionUID = 1L;

    /** The most classes whose k × k counts fit in one array. */
    static final int MAX_CLASSES = 46_340;

    /** confusion[true * k + predicted]: the rows' weight (their number when unweighted). */
    private final double[] confusion;
    private double logLossSum;

    /**
     * An empty evaluation of {@code classes} classes.
     *
     * @throws IllegalArgumentException for fewer than 2 classes, or more than a confusion matrix holds
     */
    public MulticlassMetrics(int classes) {
        super(Task.MULTICLASS, classes);
        if (classes > MAX_CLASSES) {
            throw new IllegalArgumentException(classes + " classes: the confusion matrix would not fit in an array");
        }
        this.confusion = new double[classes * classes];
    }

    @Override
    void addRows(double[] o, double[] y, int rows, double[] weights) {
        int k = outputs;
        double log = 0.0;
        for (int r = 0; r < rows; r++) {
            int c = r * k;
            double w = weightOf(weights, r);
            confusion[Backprop.argMax(y, c, k) * k + Backprop.argMax(o, c, k)] += w;
            for (int j = c; j < c + k; j++) {
                if (y[j] != 0.0) {
                    log -= w * (y[j] * Math.log(clampProbability(o[j])));
                }
            }
        }
        logLossSum += log;
    }

    @Override
    void mergeRows(MetricsAccumulator other) {
        MulticlassMetrics that = (MulticlassMetrics) other;
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += that.confusion[i];
        }
        logLossSum += that.logLossSum;
    }

    @Override
    public MulticlassMetrics merge(Metrics other) {
        mergeFrom(other);
        return this;
    }

    /** The number of classes, k. */
    public int classes() {
        return outputs;
    }

    @Override
    public double accuracy() {
        if (weight == 0) {
            return Double.NaN;
        }
        double right = 0;
        for (int c = 0; c < outputs; c++) {
            right += confusion[c * outputs + c];
        }
        return right / weight;
    }

    @Override
    public double logLoss() {
        return logLossSum / weight;
    }

    /**
     * F1 = 2tp / (2tp + fp + fn) of each class 0..k−1. A class with no true and no predicted
     * examples has F1 0 (scikit-learn's {@code zero_division=0}). All NaN while no rows (or only rows
     * of weight 0) have been added.
     */
    public double[] f1PerClass() {
        int k = outputs;
        double[] f1 = new double[k];
        for (int c = 0; c < k; c++) {
            double tp = confusion[c * k + c];
            double trueTotal = 0;
            double predictedTotal = 0;
            for (int i = 0; i < k; i++) {
                trueTotal += confusion[c * k + i];
                predictedTotal += confusion[i * k + c];
            }
            f1[c] = f1(tp, predictedTotal - tp, trueTotal - tp);
        }
        if (weight == 0) {
            Arrays.fill(f1, Double.NaN);
        }
        return f1;
    }

    @Override
    public double macroF1() {
        return average(f1PerClass());
    }

    /**
     * The k × k confusion matrix, a new array; entry [t][p] counts rows of true class t predicted as
     * p (sums their weights when they are weighted, as Spark's {@code confusionMatrix} does).
     */
    public double[][] confusionMatrix() {
        double[][] matrix = new double[outputs][];
        for (int t = 0; t < outputs; t++) {
            matrix[t] = Arrays.copyOfRange(confusion, t * outputs, (t + 1) * outputs);
        }
        return matrix;
    }
}
