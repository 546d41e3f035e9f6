package io.sparkprop.io;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The built-in regression task: Friedman's #1 function (Friedman 1991, as in scikit-learn's
 * {@code make_friedman1}). Every feature is uniform in [0, 1]; only the first five matter:
 * <pre>
 *   y = 10 sin(π x₁ x₂) + 20 (x₃ − 0.5)² + 10 x₄ + 5 x₅ + noise · N(0, 1)
 * </pre>
 * The four terms are independent, so Var(y) = Var(10 sin(π x₁x₂)) + 400/180 + 100/12 + 25/12 + noise²
 * = 11.1876 + 2.2222 + 8.3333 + 2.0833 + noise² = 23.8265 + noise² (the first variance by numerical
 * integration: E[sin(π x₁x₂)] = 0.524663, E[sin²(π x₁x₂)] = 0.387147), and E[y] = 14.4133. With
 * the standard noise 0.5, Var(y) = 24.0765, and the best R² any model can reach — predicting the
 * noiseless function exactly — is 1 − noise²/Var(y) = 1 − 0.25/24.0765 = 0.9896.
 *
 * <p>Row {@code i} depends only on the seed and {@code i}, so any slice of the data can be
 * generated anywhere and is always the same.
 *
 * @param features dimensions of each example, at least 5 (those after the fifth are irrelevant)
 * @param noise standard deviation of the Gaussian noise added to the target
 * @param seed seed of every row
 */
public record SyntheticRegression(int features, double noise, long seed) implements Serializable {

    /** Variance of the noiseless function over the unit cube (see the class comment). */
    public static final double FUNCTION_VARIANCE = 23.826463771381;

    /** Mean of the target over the unit cube. */
    public static final double MEAN = 14.413297342420;

    /** The default task: 10 features (5 relevant, 5 irrelevant), noise 0.5. */
    public static SyntheticRegression standard(long seed) {
        return new SyntheticRegression(10, 0.5, seed);
    }

    public SyntheticRegression {
        if (features < 5 || !(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("synthetic regression needs features >= 5 and a finite noise >= 0, got "
                    + features + " features and noise " + noise);
        }
    }

    /** Var(y) = {@link #FUNCTION_VARIANCE} + noise². */
    public double targetVariance() {
        return FUNCTION_VARIANCE + noise * noise;
    }

    /** The best achievable R², 1 − noise² / Var(y): what predicting the noiseless function scores. */
    public double bestR2() {
        return 1.0 - noise * noise / targetVariance();
    }

    /** A one-line description for logs and model metadata. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "built-in synthetic regression (Friedman #1, %d features of which 5 relevant, noise %s, seed %d)",
                features, noise, seed);
    }

    /** Friedman's #1 function without noise, of {@code x[0..4]}. */
    public static double friedman1(double[] x) {
        double centred = x[2] - 0.5;
        return 10.0 * Math.sin(Math.PI * x[0] * x[1]) + 20.0 * centred * centred + 10.0 * x[3] + 5.0 * x[4];
    }

    /** A generator of rows; build one per task and call {@link Rows#row} for each index. */
    public Rows rows() {
        return new Rows();
    }

    /** Generates row {@code i}: its features and its target. */
    public final class Rows {
        private Rows() {
        }

        /** Writes the features of row {@code index} into {@code x} and returns its target. */
        public double row(long index, double[] x) {
            SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
            for (int j = 0; j < features; j++) {
                x[j] = random.nextDouble();
            }
            return friedman1(x) + noise * random.nextGaussian();
        }
    }
}
