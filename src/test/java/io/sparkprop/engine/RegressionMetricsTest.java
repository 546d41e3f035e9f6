package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void twoOutputs() {
        // output 0: y [1 2 3 4], o [1.5 2 2 4]: errors [.5 0 −1 0]
        //   SSE 1.25 → RMSE √(1.25/4) = √0.3125 = 0.5590169943749475; MAE 1.5/4 = 0.375
        //   ȳ 2.5, SS_tot 2.25 + .25 + .25 + 2.25 = 5 → R² = 1 − 1.25/5 = 0.75
        // output 1: y [0 0 2 2], o [1 0 2 1]: errors [1 0 0 −1]
        //   SSE 2 → RMSE √0.5 = 0.7071067811865476; MAE 0.5; ȳ 1, SS_tot 4 → R² = 1 − 2/4 = 0.5
        RegressionMetrics m = MetricsExamples.regression();
        assertArrayEquals(new double[] {0.5590169943749475, 0.7071067811865476}, m.rmsePerOutput(), EPS);
        assertArrayEquals(new double[] {0.375, 0.5}, m.maePerOutput(), EPS);
        assertArrayEquals(new double[] {0.75, 0.5}, m.r2PerOutput(), EPS);
        assertEquals(0.6330618877807475, m.rmse(), EPS);
        assertEquals(0.4375, m.mae(), EPS);
        assertEquals(0.625, m.r2(), EPS);
        assertEquals(1.625 / 4, m.meanLoss(), EPS); // ½ Σ errors² = ½ (1.25 + 2)
    }

    @Test
    void constantTargetHasRSquaredOneWhenExactAndZeroOtherwise() {
        // 0.1 is not a binary fraction, so the mean of many 0.1s is not exactly 0.1 and a
        // computed SS_tot is a tiny positive number; R² must not become −10^30.
        RegressionMetrics exact = new RegressionMetrics(2);
        RegressionMetrics off = new RegressionMetrics(1);
        for (int block = 0; block < 3; block++) {
            int rows = 7;
            double[] y2 = new double[2 * rows];
            double[] y1 = new double[rows];
            double[] o1 = new double[rows];
            for (int r = 0; r < rows; r++) {
                y2[2 * r] = 0.1;
                y2[2 * r + 1] = r; // a varying second output, unaffected
                y1[r] = 0.1;
                o1[r] = 0.1 + (r == 3 ? 1e-9 : 0);
            }
            exact.add(y2.clone(), y2, rows, 0.0);
            off.add(o1, y1, rows, 0.0);
        }
        assertArrayEquals(new double[] {1.0, 1.0}, exact.r2PerOutput());
        assertEquals(0.0, off.r2());
    }

    @Test
    void mergingTwoHalvesEqualsAddingEverythingAtOnce() {
        int rows = 1000;
        int k = 3;
        double[][] data = regressionData(rows, k, 3.0);
        double[] o = data[0];
        double[] y = data[1];
        RegressionMetrics all = new RegressionMetrics(k);
        all.add(o, y, rows, 42.0);
        RegressionMetrics merged = mergedHalves(o, y, rows, k);
        assertEquals(rows, merged.count());
        assertEquals(all.meanLoss(), merged.meanLoss(), EPS);
        assertRelative(all.rmsePerOutput(), merged.rmsePerOutput(), EPS);
        assertRelative(all.maePerOutput(), merged.maePerOutput(), EPS);
        assertRelative(all.r2PerOutput(), merged.r2PerOutput(), EPS);
        assertRelative(twoPassR2(o, y, rows, k), merged.r2PerOutput(), EPS);
    }

    @Test
    void mergedVarianceStaysAccurateFarFromZero() {
        // Targets 10^6 + N(0, 1): the naive Σy² − n ȳ² would lose about 12 of the 16 digits. Chan's
        // merge is limited only by the block means, stored to 10^6 · 2^−53 ≈ 1e−10, which puts R² within
        // a few 1e−12 of the textbook two-pass value (about 1 − 0.09 = 0.91).
        int rows = 1000;
        int k = 3;
        double[][] data = regressionData(rows, k, 1e6);
        RegressionMetrics merged = mergedHalves(data[0], data[1], rows, k);
        assertRelative(twoPassR2(data[0], data[1], rows, k), merged.r2PerOutput(), 1e-10);
    }

    @Test
    void emptyEvaluationsAreNaNAndLongerBuffersAreFine() {
        RegressionMetrics r = new RegressionMetrics(1);
        assertTrue(Double.isNaN(r.r2()));
        assertTrue(Double.isNaN(r.rmse()));
        assertTrue(Double.isNaN(r.meanLoss()));
        // A workspace buffer longer than rows × k: only the first rows are read.
        r.add(new double[] {1, 2, 99, 99}, new double[] {1, 4, -7, -7}, 2, 0.0);
        assertEquals(2, r.count());
        assertEquals(1.0, r.mae(), EPS);
    }

    /** Outputs and targets of {@code rows × k}: y = offset + j + N(0, 1) for output j, o = y + N(0, 0.3²). */
    private static double[][] regressionData(int rows, int k, double offset) {
        SplittableRandom random = new SplittableRandom(3);
        double[] y = new double[rows * k];
        double[] o = new double[rows * k];
        for (int i = 0; i < y.length; i++) {
            y[i] = offset + (i % k) + random.nextGaussian();
            o[i] = y[i] + 0.3 * random.nextGaussian();
        }
        return new double[][] {o, y};
    }

    /** Rows 0..376 in blocks of 50 and rows 377.. in blocks of 111, merged with an empty evaluation between. */
    private static RegressionMetrics mergedHalves(double[] o, double[] y, int rows, int k) {
        RegressionMetrics left = new RegressionMetrics(k);
        RegressionMetrics right = new RegressionMetrics(k);
        addInBlocks(left, o, y, k, 0, 377, 50);
        addInBlocks(right, o, y, k, 377, rows, 111);
        return new RegressionMetrics(k).merge(left).merge(new RegressionMetrics(k)).merge(right);
    }

    private static void addInBlocks(Metrics m, double[] o, double[] y, int k, int from, int to, int block) {
        for (int start = from; start < to; start += block) {
            int rows = Math.min(block, to - start);
            m.add(Arrays.copyOfRange(o, start * k, (start + rows) * k),
                    Arrays.copyOfRange(y, start * k, (start + rows) * k), rows, 42.0 * rows / 1000);
        }
    }

    /** The textbook R² of each output: mean first, then Σ (y − ȳ)². */
    private static double[] twoPassR2(double[] o, double[] y, int rows, int k) {
        double[] r2 = new double[k];
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                mean += y[r * k + j];
            }
            mean /= rows;
            double ssTot = 0;
            double ssRes = 0;
            for (int r = 0; r < rows; r++) {
                ssTot += (y[r * k + j] - mean) * (y[r * k + j] - mean);
                ssRes += (o[r * k + j] - y[r * k + j]) * (o[r * k + j] - y[r * k + j]);
            }
            r2[j] = 1 - ssRes / ssTot;
        }
        return r2;
    }

    private static void assertRelative(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], tolerance * Math.abs(expected[j]), "output " + j);
        }
    }
}
