package io.sparkprop.engine;

import java.util.Arrays;

/**
 * Spark's per-class thresholds for a multiclass or binary classifier's prediction
 * ({@code ProbabilisticClassificationModel.probability2prediction}): the class k with the largest
 * p<sub>k</sub> / t<sub>k</sub>, a threshold of 0 winning outright, the first on ties. The scorer
 * and the ONNX export check and apply them alike.
 */
public final class ClassThresholds {
    private ClassThresholds() {
    }

    /**
     * A copy of {@code thresholds} once they are finite, non-negative and at most one of them 0.
     *
     * @throws IllegalArgumentException saying which rule they break
     */
    public static double[] checked(double[] thresholds) {
        int zeros = 0;
        for (double t : thresholds) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("thresholds must be finite and non-negative, got "
                        + Arrays.toString(thresholds));
            }
            zeros += t == 0 ? 1 : 0;
        }
        if (zeros > 1) {
            throw new IllegalArgumentException("at most one threshold may be 0, got " + Arrays.toString(thresholds));
        }
        return thresholds.clone();
    }

    /**
     * Fails unless thresholds apply to {@code network} (a multiclass or binary classifier) and
     * there is one per class.
     */
    public static void requireFits(double[] thresholds, Network network) {
        Metrics.Task task = Metrics.taskOf(network);
        if (task != Metrics.Task.MULTICLASS && task != Metrics.Task.BINARY) {
            throw new IllegalArgumentException("thresholds apply to a multiclass or binary classifier; this model is "
                    + task.id());
        }
        if (thresholds.length != network.classes()) {
            throw new IllegalArgumentException("thresholds have " + thresholds.length + " values; the model has "
                    + network.classes() + " classes");
        }
    }

    /** The predicted class of one example's class probabilities. */
    public static int predict(double[] probability, double[] thresholds) {
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < probability.length; k++) {
            double scaled = thresholds[k] == 0.0 ? Double.POSITIVE_INFINITY : probability[k] / thresholds[k];
            if (scaled > max) {
                max = scaled;
                best = k;
            }
        }
        return best;
    }
}
