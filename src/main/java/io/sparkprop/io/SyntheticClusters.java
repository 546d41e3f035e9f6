package io.sparkprop.io;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The built-in classification task: Gaussian blobs in {@code features} dimensions, several blobs
 * per class placed at random, so the classes are not linearly separable and a hidden layer is
 * needed. Row {@code i} depends only on the seed and {@code i}, so any slice of the data can be
 * generated anywhere (on the driver or in parallel) and is always the same.
 *
 * @param features dimensions of each example
 * @param classes number of classes (labels 0..classes−1)
 * @param blobsPerClass Gaussian blobs that make up each class
 * @param spread half-width of the cube the blob centres are drawn from
 * @param noise standard deviation of each blob in every dimension
 * @param seed seed of the centres and of every row
 */
public record SyntheticClusters(int features, int classes, int blobsPerClass, double spread, double noise,
                                long seed) implements Serializable {

    /** The default task: 10 features, 10 classes of 3 blobs each, overlapping a little. */
    public static SyntheticClusters standard(long seed) {
        return new SyntheticClusters(10, 10, 3, 2.0, 0.6, seed);
    }

    public SyntheticClusters {
        if (features < 1 || classes < 2 || blobsPerClass < 1 || !(spread > 0) || !(noise >= 0)) {
            throw new IllegalArgumentException("synthetic task needs features >= 1, classes >= 2, blobs >= 1, "
                    + "spread > 0 and noise >= 0");
        }
    }

    /** A one-line description for logs and model metadata. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "built-in synthetic task (%d features, %d classes x %d Gaussian blobs, noise %s, seed %d)",
                features, classes, blobsPerClass, noise, seed);
    }

    /** Blob centres, [classes × blobsPerClass][features], a pure function of the seed. */
    private double[][] centres() {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] centres = new double[classes * blobsPerClass][features];
        for (double[] centre : centres) {
            for (int j = 0; j < features; j++) {
                centre[j] = random.nextDouble(-spread, spread);
            }
        }
        return centres;
    }

    /** A generator of rows; build one per task and call {@link Rows#row} for each index. */
    public Rows rows() {
        return new Rows(centres());
    }

    /** Generates row {@code i}: its class and its features. */
    public final class Rows {
        private final double[][] centres;

        private Rows(double[][] centres) {
            this.centres = centres;
        }

        /** Writes the features of row {@code index} into {@code x} and returns its class. */
        public int row(long index, double[] x) {
            SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
            int label = random.nextInt(classes);
            double[] centre = centres[label * blobsPerClass + random.nextInt(blobsPerClass)];
            for (int j = 0; j < features; j++) {
                x[j] = centre[j] + noise * random.nextGaussian();
            }
            return label;
        }
    }
}
