package io.sparkprop.engine;

/**
 * The sums of binary and multilabel evaluations: k yes/no labels (k = 1 for binary), each with
 * its 2 × 2 counts, the summed log loss, and the rows whose labels are all right; weighted when
 * the rows are (see {@link Metrics}).
 */
abstract class LabelCounts extends MetricsAccumulator {
    private static final long serialVersionUID = 1L;

    /**
     * For label j, confusion[4j .. 4j + 3] = {tn, fp, fn, tp} (index = 2 · truth + prediction): the
     * rows' weight, their number when unweighted.
     */
    final double[] confusion;
    private double logLossSum;
    /** The weight of the rows whose labels are all right. */
    double exactRows;

    LabelCounts(Metrics.Task task, int labels) {
        super(task, labels);
        this.confusion = new double[4 * labels];
    }

    @Override
    final void addRows(double[] o, double[] y, int rows, double[] weights) {
        int k = outputs;
        double log = 0.0;
        for (int r = 0; r < rows; r++) {
            int c = r * k;
            double w = weightOf(weights, r);
            boolean allRight = true;
            for (int j = 0; j < k; j++) {
                double target = y[c + j];
                double p = clampProbability(o[c + j]);
                boolean truth = target >= 0.5;
                boolean predicted = o[c + j] >= 0.5;
                confusion[4 * j + (truth ? 2 : 0) + (predicted ? 1 : 0)] += w;
                allRight &= truth == predicted;
                log -= w * (target * Math.log(p) + (1.0 - target) * Math.log(1.0 - p));
            }
            if (allRight) {
                exactRows += w;
            }
        }
        logLossSum += log;
    }

    @Override
    final void mergeRows(MetricsAccumulator other) {
        LabelCounts that = (LabelCounts) other;
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += that.confusion[i];
        }
        logLossSum += that.logLossSum;
        exactRows += that.exactRows;
    }

    /** {@link ClassificationMetrics#accuracy()}: the fraction of (row, label) pairs right. */
    public double accuracy() {
        if (weight == 0) {
            return Double.NaN;
        }
        double right = 0;
        for (int j = 0; j < outputs; j++) {
            right += confusion[4 * j] + confusion[4 * j + 3];
        }
        return right / (weight * outputs);
    }

    /** {@link ClassificationMetrics#logLoss()}. */
    public double logLoss() {
        return logLossSum / weight;
    }

    /** Label {@code j}'s counts (or weights) as {{tn, fp}, {fn, tp}}, a new array. */
    final double[][] matrix(int j) {
        int b = 4 * j;
        return new double[][] {{confusion[b], confusion[b + 1]}, {confusion[b + 2], confusion[b + 3]}};
    }
}
