package io.sparkprop.engine;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A network's outputs beside the targets they should match, for some rows: what a plot of
 * predicted against true values is drawn from. Both arrays are row-major, {@code rows × outputs}.
 *
 * @param outputs values per row (the network's output width)
 * @param targets the true values
 * @param predictions the network's outputs
 */
public record PredictionSample(int outputs, double[] targets, double[] predictions) implements Serializable {
    public PredictionSample {
        if (outputs < 1 || targets.length != predictions.length || targets.length % outputs != 0) {
            throw new IllegalArgumentException("a sample of " + outputs + " outputs per row needs targets and "
                    + "predictions of the same whole number of rows, got " + targets.length + " and "
                    + predictions.length + " values");
        }
    }

    public int rows() {
        return targets.length / outputs;
    }

    /** The true value of output {@code j} of row {@code r}. */
    public double target(int r, int j) {
        return targets[r * outputs + j];
    }

    /** The predicted value of output {@code j} of row {@code r}. */
    public double prediction(int r, int j) {
        return predictions[r * outputs + j];
    }

    /** This sample's rows followed by {@code other}'s (a merge in partition order). */
    public PredictionSample concat(PredictionSample other) {
        if (other.outputs != outputs) {
            throw new IllegalArgumentException("cannot join samples of " + outputs + " and " + other.outputs
                    + " outputs");
        }
        return new PredictionSample(outputs, join(targets, other.targets), join(predictions, other.predictions));
    }

    /** The first {@code rows} rows (all when there are fewer). */
    public PredictionSample first(int rows) {
        int n = Math.min(rows, rows()) * outputs;
        return new PredictionSample(outputs, Arrays.copyOf(targets, n), Arrays.copyOf(predictions, n));
    }

    private static double[] join(double[] a, double[] b) {
        double[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PredictionSample s && s.outputs == outputs && Arrays.equals(s.targets, targets)
                && Arrays.equals(s.predictions, predictions);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * outputs + Arrays.hashCode(targets)) + Arrays.hashCode(predictions);
    }

    @Override
    public String toString() {
        return "PredictionSample[" + rows() + " rows × " + outputs + " outputs]";
    }
}
