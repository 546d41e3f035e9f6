package io.sparkprop.engine;

import java.util.SplittableRandom;

/** Seeded example generators shared by the tests. */
public final class TestData {
    private TestData() {
    }

    /** Features uniform in [−1, 1), row-major. */
    public static double[] features(int rows, int inputs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[rows * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble(-1.0, 1.0);
        }
        return x;
    }

    /** Targets suited to the network's loss: one-hot classes, 0/1 values, or reals. */
    public static double[] targets(Network network, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int outputs = network.outputSize();
        double[] y = new double[rows * outputs];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < outputs; k++) {
                y[r * outputs + k] = switch (network.loss()) {
                    case CATEGORICAL_CROSS_ENTROPY -> 0.0;
                    case BINARY_CROSS_ENTROPY -> random.nextInt(2);
                    case SQUARED_ERROR -> random.nextDouble(-1.0, 1.0);
                };
            }
            if (network.loss() == Loss.CATEGORICAL_CROSS_ENTROPY) {
                y[r * outputs + random.nextInt(outputs)] = 1.0;
            }
        }
        return y;
    }

    /** A block of random examples for the network. */
    public static Block block(Network network, int rows, long seed) {
        return new Block(rows, features(rows, network.inputSize(), seed), targets(network, rows, seed + 1));
    }

    /** CSR rows as dense float64 rows, row-major (zeros where nothing is stored). */
    public static double[] dense(SparseFeatures x) {
        double[] dense = new double[x.rows() * x.columns()];
        for (int r = 0; r < x.rows(); r++) {
            for (int k = x.rowStart()[r]; k < x.rowStart()[r + 1]; k++) {
                dense[r * x.columns() + x.indices()[k]] += x.precision() == Precision.FLOAT64 ? x.values()[k]
                        : x.values32()[k];
            }
        }
        return dense;
    }
}
