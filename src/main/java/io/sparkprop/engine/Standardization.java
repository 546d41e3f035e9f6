package io.sparkprop.engine;

import java.io.Serializable;

/**
 * Feature standardisation {@code x' = (x − mean) / scale}, fitted on the training data and
 * stored with the model so that prediction sees the inputs training saw. A feature that never
 * varies keeps scale 1 (it is only centred): dividing by its zero deviation would make garbage of
 * any new value.
 */
public final class Standardization implements Serializable {
    private final double[] mean;
    private final double[] scale;

    public Standardization(double[] mean, double[] scale) {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("standardisation has " + mean.length + " means and " + scale.length
                    + " scales");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !(scale[j] > 0) || !Double.isFinite(scale[j])) {
                throw new IllegalArgumentException("standardisation of feature " + j + " has mean " + mean[j]
                        + " and scale " + scale[j] + "; a finite mean and a positive scale are needed");
            }
        }
        this.mean = mean.clone();
        this.scale = scale.clone();
    }

    /** From per-feature means and (sample) variances; a zero variance gives scale 1. */
    public static Standardization fromMoments(double[] mean, double[] variance) {
        double[] scale = new double[variance.length];
        for (int j = 0; j < scale.length; j++) {
            double sd = Math.sqrt(variance[j]);
            scale[j] = sd > 0 ? sd : 1.0;
        }
        return new Standardization(mean, scale);
    }

    public int features() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] scale() {
        return scale.clone();
    }

    /** Standardises {@code rows} feature rows of {@code x} (row-major) in place. */
    public void apply(double[] x, int rows) {
        int n = mean.length;
        for (int r = 0; r < rows; r++) {
            int offset = r * n;
            for (int j = 0; j < n; j++) {
                x[offset + j] = (x[offset + j] - mean[j]) / scale[j];
            }
        }
    }

    /**
     * Scales {@code rows} feature rows of {@code x} (row-major) in place, {@code x' = x / scale},
     * without centring: the inputs of a {@link CentringFold}.
     */
    public void applyScale(double[] x, int rows) {
        int n = scale.length;
        for (int r = 0; r < rows; r++) {
            int offset = r * n;
            for (int j = 0; j < n; j++) {
                x[offset + j] = x[offset + j] / scale[j];
            }
        }
    }

    /** {@code value / scale}, the scaled value of feature {@code feature} (a non-zero of a sparse row). */
    public double scaled(int feature, double value) {
        return value / scale[feature];
    }
}
