package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BinaryMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void thresholdsAtOneHalf() {
        // y  p     prediction
        // 1  0.9   1   tp
        // 1  0.4   0   fn
        // 0  0.2   0   tn
        // 0  0.6   1   fp
        // 1  0.5   1   tp   (0.5 counts as positive)
        BinaryMetrics m = MetricsExamples.binary();
        assertEquals(1, m.outputs());
        assertEquals(0.5, m.meanLoss(), EPS);
        assertArrayEquals(new double[][] {{1, 1}, {1, 2}}, m.confusionMatrix()); // {{tn, fp}, {fn, tp}}
        assertEquals(0.6, m.accuracy(), EPS); // (1 + 2) / 5
        // class 0: 2tn / (2tn + fn + fp) = 2/4 = 0.5; class 1: 2tp / (2tp + fp + fn) = 4/6
        assertArrayEquals(new double[] {0.5, 2.0 / 3}, m.f1PerClass(), EPS);
        assertEquals(7.0 / 12, m.macroF1(), EPS); // (1/2 + 2/3) / 2
        // The probability given to the true class: 0.9, 0.4, 1 − 0.2, 1 − 0.6, 0.5, so
        // −(ln 0.9 + ln 0.4 + ln 0.8 + ln 0.4 + ln 0.5) / 5 = −ln(0.0576) / 5
        assertEquals(0.5708465422560582, m.logLoss(), EPS);
    }

    @Test
    void logLossClampsProbabilitiesAt1eMinus15() {
        BinaryMetrics b = new BinaryMetrics();
        b.add(new double[] {1.0}, new double[] {0}, 1, 0.0);
        // −ln(1 − (1 − 1e-15)); 1 − 1e-15 rounds to 1 − 9.992007221626409e-16 in binary
        assertEquals(34.53957599234088, b.logLoss(), 1e-9);
    }

    @Test
    void mergingEqualsAddingAllRowsAtOnce() {
        BinaryMetrics first = new BinaryMetrics();
        first.add(new double[] {0.9, 0.4}, new double[] {1, 1}, 2, 1.0);
        BinaryMetrics second = new BinaryMetrics();
        second.add(new double[] {0.2, 0.6, 0.5}, new double[] {0, 0, 1}, 3, 1.5);
        BinaryMetrics merged = first.merge(second);
        BinaryMetrics all = MetricsExamples.binary();
        assertArrayEquals(all.confusionMatrix(), merged.confusionMatrix());
        assertEquals(all.accuracy(), merged.accuracy());
        assertEquals(all.logLoss(), merged.logLoss(), EPS);
        assertEquals(all.meanLoss(), merged.meanLoss(), EPS);
    }

    @Test
    void anEmptyEvaluationIsNaN() {
        BinaryMetrics m = new BinaryMetrics();
        assertTrue(Double.isNaN(m.accuracy()));
        assertTrue(Double.isNaN(m.macroF1()));
        assertTrue(Double.isNaN(m.logLoss()));
    }
}
