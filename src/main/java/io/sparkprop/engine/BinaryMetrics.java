package io.sparkprop.engine;

/**
 * Class 0 or 1 (one sigmoid output): the 2 × 2 confusion matrix and the summed log loss; an output
 * or target is class 1 when it is ≥ 0.5.
 */
public final class BinaryMetrics extends LabelCounts implements ClassificationMetrics {
    private static final long serialVersionUID = 1L;

    /** An empty evaluation. */
    public BinaryMetrics() {
        super(Task.BINARY, 1);
    }

    @Override
    public BinaryMetrics merge(Metrics other) {
        mergeFrom(other);
        return this;
    }

    /**
     * F1 of class 0 then class 1: 2tn / (2tn + fn + fp) and 2tp / (2tp + fp + fn); 0 for a class
     * with no true and no predicted rows. Both NaN while no rows (or only rows of weight 0) have
     * been added.
     */
    public double[] f1PerClass() {
        if (weight == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double tn = confusion[0];
        double fp = confusion[1];
        double fn = confusion[2];
        double tp = confusion[3];
        return new double[] {f1(tn, fn, fp), f1(tp, fp, fn)};
    }

    @Override
    public double macroF1() {
        return average(f1PerClass());
    }

    /**
     * The 2 × 2 confusion matrix {{tn, fp}, {fn, tp}}, a new array: entry [t][p] counts rows of class
     * t predicted as p (sums their weights when they are weighted).
     */
    public double[][] confusionMatrix() {
        return matrix(0);
    }
}
