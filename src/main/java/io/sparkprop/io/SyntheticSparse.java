package io.sparkprop.io;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A wide sparse classification task, like bag-of-words text: each row has {@code nonzeros}
 * features set, at distinct columns drawn uniformly from {@code features}, with values in
 * {0.001, 0.002, …, 1} (three decimals, so a text file holds them exactly); all other features
 * are 0. The label comes from a hidden linear teacher: every (class, feature) pair has a weight
 * T[c][i] ~ N(0, 1), a pure function of the seed, and a row's class is the arg-max over c of
 * Σᵢ T[c][i] xᵢ. The classes are therefore linearly separable (an exact linear model exists), and
 * a network learns them as far as the rows show it each feature's weights: with n rows, each
 * feature appears in about n·nonzeros/features of them. Teacher weights are computed per use
 * from a hash of (seed, class, feature), so nothing of size {@code features} is ever held.
 *
 * <p>Row {@code i} depends only on the seed and {@code i}, so any slice of the data can be
 * generated anywhere and is always the same.
 *
 * @param features width of each row (the columns the non-zeros are drawn from)
 * @param nonzeros non-zero features in every row, 1 ≤ nonzeros ≤ features
 * @param classes number of classes (labels 0..classes−1), at least 2
 * @param seed seed of the teacher and of every row
 */
public record SyntheticSparse(int features, int nonzeros, int classes, long seed) implements Serializable {

    public SyntheticSparse {
        if (features < 1 || nonzeros < 1 || nonzeros > features || classes < 2) {
            throw new IllegalArgumentException("a sparse synthetic task needs 1 <= non-zeros <= features and classes "
                    + ">= 2, got " + nonzeros + " non-zeros of " + features + " features and " + classes + " classes");
        }
    }

    /** A one-line description for logs and model metadata. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "synthetic sparse task (%d features, %d non-zeros a row, %d "
                + "classes from a linear teacher, seed %d)", features, nonzeros, classes, seed);
    }

    /** The teacher's weight of {@code feature} for {@code label}, ~ N(0, 1). */
    public double teacher(int label, int feature) {
        long key = seed * 0xD1B54A32D192ED03L + ((long) feature * classes + label + 1) * 0x9E3779B97F4A7C15L;
        return new SplittableRandom(key).nextGaussian();
    }

    /**
     * Writes the columns (increasing) and values of row {@code index}'s non-zeros into the first
     * {@link #nonzeros()} entries of {@code columns} and {@code values}, and returns its class.
     */
    public int row(long index, int[] columns, double[] values) {
        SplittableRandom random = new SplittableRandom(seed ^ (0xC2B2AE3D27D4EB4FL * (index + 1)));
        // Floyd's sampling: nonzeros distinct columns, each subset equally likely.
        int chosen = 0;
        for (int j = features - nonzeros; j < features; j++) {
            int candidate = random.nextInt(j + 1);
            columns[chosen] = contains(columns, chosen, candidate) ? j : candidate;
            chosen++;
        }
        Arrays.sort(columns, 0, nonzeros);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < nonzeros; k++) {
            values[k] = (1 + random.nextInt(1000)) / 1000.0;
        }
        for (int c = 0; c < classes; c++) {
            double score = 0;
            for (int k = 0; k < nonzeros; k++) {
                score += teacher(c, columns[k]) * values[k];
            }
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }
}
