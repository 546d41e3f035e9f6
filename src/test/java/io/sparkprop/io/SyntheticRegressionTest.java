package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticRegressionTest {

    @Test
    void aRowDependsOnlyOnTheSeedAndItsIndex() {
        SyntheticRegression task = SyntheticRegression.standard(11);
        double[] a = new double[10];
        double[] b = new double[10];
        SyntheticRegression.Rows first = task.rows();
        first.row(5, new double[10]); // generating other rows first changes nothing
        double ya = first.row(12345, a);
        double yb = SyntheticRegression.standard(11).rows().row(12345, b);
        assertArrayEquals(a, b);
        assertEquals(ya, yb);
        double[] c = new double[10];
        assertNotEquals(ya, SyntheticRegression.standard(12).rows().row(12345, c));
        assertNotEquals(ya, first.row(12346, c));
        for (double v : a) {
            assertTrue(v >= 0 && v < 1, "features are uniform in [0, 1): " + v);
        }
    }

    @Test
    void friedmanOneAtAHandComputedPoint() {
        // x = (0.5, 1, 0.3, 0.2, 0.4, …): 10 sin(π/2) + 20 (−0.2)² + 10·0.2 + 5·0.4
        //   = 10 + 0.8 + 2 + 2 = 14.8; the last five features do not matter.
        assertEquals(14.8, SyntheticRegression.friedman1(new double[] {0.5, 1, 0.3, 0.2, 0.4, 9, 9, 9, 9, 9}), 1e-12);
        // x = (1/6, 1, 0.5, 0, 1): 10 sin(π/6) + 0 + 0 + 5 = 5 + 5 = 10
        assertEquals(10.0, SyntheticRegression.friedman1(new double[] {1.0 / 6, 1, 0.5, 0, 1}), 1e-12);

        // With noise 0 a row's target is exactly the function of its features.
        SyntheticRegression.Rows noiseless = new SyntheticRegression(10, 0.0, 3).rows();
        double[] x = new double[10];
        for (long i = 0; i < 100; i++) {
            double y = noiseless.row(i, x);
            assertEquals(SyntheticRegression.friedman1(x), y);
        }
    }

    @Test
    void theTargetHasTheStatedMeanVarianceAndNoise() {
        SyntheticRegression task = SyntheticRegression.standard(2024);
        SyntheticRegression.Rows rows = task.rows();
        int n = 20_000;
        double[] x = new double[10];
        double mean = 0;
        double m2 = 0;
        double noiseM2 = 0;
        for (int i = 0; i < n; i++) {
            double y = rows.row(i, x);
            double d = y - mean;
            mean += d / (i + 1);
            m2 += d * (y - mean);
            double e = y - SyntheticRegression.friedman1(x);
            noiseM2 += e * e;
        }
        double variance = m2 / (n - 1);
        // Standard errors over 20k rows: mean √(24/20000) ≈ 0.035, variance about 24·√(1.5/20000) ≈ 0.2.
        assertEquals(SyntheticRegression.MEAN, mean, 0.15);
        assertEquals(24.0765, task.targetVariance(), 1e-4);
        assertEquals(task.targetVariance(), variance, 0.8);
        assertEquals(0.5, Math.sqrt(noiseM2 / n), 0.02);
        assertEquals(0.98962, task.bestR2(), 1e-5);
    }

    @Test
    void fewerThanFiveFeaturesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticRegression(4, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticRegression(10, -1, 1));
    }
}
