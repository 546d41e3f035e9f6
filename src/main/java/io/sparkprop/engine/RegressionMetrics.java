package io.sparkprop.engine;

import java.util.Arrays;

/**
 * k real-valued outputs (identity, tanh or relu output): per output the sums of squared and
 * absolute errors and the target's mean and sum of squared deviations, merged with Chan et al.'s
 * parallel formula, so merging partial results in any tree gives the same numbers as one pass up
 * to rounding. Weighted rows weigh in every sum, mean and deviation (West's weighted form of the
 * same update); rows of weight 0 play no part. Every value is NaN while no rows (or only rows of
 * weight 0) have been added.
 */
public final class RegressionMetrics extends MetricsAccumulator implements Metrics {
    private static final long serialVersionUID = 1L;

    // Per output: target mean and Σ w (y − ȳ)², target min and max over the rows of positive weight
    // (to recognise a constant target exactly), Σ w (o − y)² and Σ w |o − y|.
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;
    private final double[] squaredErrors;
    private final double[] absoluteErrors;

    /**
     * An empty evaluation of {@code outputs} outputs.
     *
     * @throws IllegalArgumentException for fewer than 1 output
     */
    public RegressionMetrics(int outputs) {
        super(Task.REGRESSION, outputs);
        this.mean = new double[outputs];
        this.m2 = new double[outputs];
        this.min = new double[outputs];
        this.max = new double[outputs];
        this.squaredErrors = new double[outputs];
        this.absoluteErrors = new double[outputs];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    @Override
    void addRows(double[] o, double[] y, int rows, double[] weights) {
        double blockWeight = totalWeight(weights, rows);
        if (blockWeight == 0) {
            return;
        }
        int k = outputs;
        for (int j = 0; j < k; j++) {
            // Two passes over the block for its own mean and M2, then one Chan et al. merge.
            double sum = 0.0;
            double lo = min[j];
            double hi = max[j];
            double se = 0.0;
            double ae = 0.0;
            for (int r = 0, i = j; r < rows; r++, i += k) {
                double w = weightOf(weights, r);
                double target = y[i];
                sum += w * target;
                if (w > 0) {
                    lo = Math.min(lo, target);
                    hi = Math.max(hi, target);
                }
                double e = o[i] - target;
                se += w * (e * e);
                ae += w * Math.abs(e);
            }
            double blockMean = sum / blockWeight;
            double blockM2 = 0.0;
            for (int r = 0, i = j; r < rows; r++, i += k) {
                double d = y[i] - blockMean;
                blockM2 += weightOf(weights, r) * (d * d);
            }
            combine(j, weight, blockWeight, blockMean, blockM2);
            min[j] = lo;
            max[j] = hi;
            squaredErrors[j] += se;
            absoluteErrors[j] += ae;
        }
    }

    @Override
    void mergeRows(MetricsAccumulator other) {
        RegressionMetrics that = (RegressionMetrics) other;
        for (int j = 0; j < outputs; j++) {
            combine(j, weight, that.weight, that.mean[j], that.m2[j]);
            min[j] = Math.min(min[j], that.min[j]);
            max[j] = Math.max(max[j], that.max[j]);
            squaredErrors[j] += that.squaredErrors[j];
            absoluteErrors[j] += that.absoluteErrors[j];
        }
    }

    /**
     * Chan, Golub and LeVeque's update of output {@code j}'s (mean, M2) over rows of total weight
     * {@code na} (their number when unweighted) with a second group of weight {@code nb}:
     * δ = m_b − m_a, mean = m_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n.
     */
    private void combine(int j, double na, double nb, double meanB, double m2B) {
        if (nb == 0) {
            return;
        }
        if (na == 0) {
            mean[j] = meanB;
            m2[j] = m2B;
            return;
        }
        double n = na + nb;
        double delta = meanB - mean[j];
        mean[j] += delta * (nb / n);
        m2[j] += m2B + delta * delta * (na * nb / n);
    }

    @Override
    public RegressionMetrics merge(Metrics other) {
        mergeFrom(other);
        return this;
    }

    /** Root mean squared error of each output, √(Σ w (o − y)² / Σ w) (w = 1 without weights). */
    public double[] rmsePerOutput() {
        double[] rmse = new double[outputs];
        for (int j = 0; j < outputs; j++) {
            rmse[j] = Math.sqrt(squaredErrors[j] / weight);
        }
        return rmse;
    }

    /** Mean absolute error of each output, Σ w |o − y| / Σ w. */
    public double[] maePerOutput() {
        double[] mae = new double[outputs];
        for (int j = 0; j < outputs; j++) {
            mae[j] = absoluteErrors[j] / weight;
        }
        return mae;
    }

    /**
     * Coefficient of determination of each output, R² = 1 − SS_res / SS_tot with
     * SS_res = Σ w (o − y)² and SS_tot = Σ w (y − ȳ)². For a constant target (every y equal, so
     * SS_tot = 0) R² is 1 if the predictions are exact (SS_res = 0) and 0 otherwise, as
     * scikit-learn's {@code r2_score} with {@code force_finite=True}.
     */
    public double[] r2PerOutput() {
        double[] r2 = new double[outputs];
        for (int j = 0; j < outputs; j++) {
            if (weight == 0) {
                r2[j] = Double.NaN;
            } else if (min[j] == max[j] || m2[j] == 0.0) {
                r2[j] = squaredErrors[j] == 0.0 ? 1.0 : 0.0;
            } else {
                r2[j] = 1.0 - squaredErrors[j] / m2[j];
            }
        }
        return r2;
    }

    /** The mean of {@link #rmsePerOutput()} over outputs (scikit-learn's {@code multioutput="uniform_average"}). */
    public double rmse() {
        return average(rmsePerOutput());
    }

    /** The mean of {@link #maePerOutput()} over outputs. */
    public double mae() {
        return average(maePerOutput());
    }

    /** The mean of {@link #r2PerOutput()} over outputs. */
    public double r2() {
        return average(r2PerOutput());
    }
}
