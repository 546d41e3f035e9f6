package io.sparkprop.engine;

import static io.sparkprop.engine.MetricsExamples.MC_OUT;
import static io.sparkprop.engine.MetricsExamples.MC_TARGET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MulticlassMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void confusionAccuracyMacroF1AndLogLoss() {
        MulticlassMetrics m = MetricsExamples.multiclass();
        assertEquals(6, m.count());
        assertEquals(3, m.classes());
        assertEquals(0.5, m.meanLoss(), EPS); // 3.0 / 6
        // Rows true 0..2, columns predicted 0..2.
        assertArrayEquals(new double[][] {{2, 0, 0}, {1, 1, 0}, {0, 2, 0}}, m.confusionMatrix());
        // Diagonal 2 + 1 + 0 = 3 of 6.
        assertEquals(0.5, m.accuracy(), EPS);
        // F1 = 2tp / (2tp + fp + fn):
        //   class 0: tp 2, fp 1 (r2), fn 0      → 4/5 = 0.8
        //   class 1: tp 1, fp 2 (r4, r5), fn 1  → 2/5 = 0.4
        //   class 2: tp 0                        → 0
        // macro = (0.8 + 0.4 + 0) / 3 = 0.4
        assertArrayEquals(new double[] {0.8, 0.4, 0.0}, m.f1PerClass(), EPS);
        assertEquals(0.4, m.macroF1(), EPS);
        // −(ln 0.7 + ln 0.5 + ln 0.3 + ln 0.7 + ln 0.1 + ln 0.1) / 6 = −ln(0.000735) / 6
        //   = 7.215640058751437 / 6
        assertEquals(1.2026066764585728, m.logLoss(), EPS);
    }

    @Test
    void aClassWithNoTrueAndNoPredictedRowsCountsAsZeroInTheMacroMean() {
        // The same six rows with a fourth class that never occurs: F1 = 0 (zero_division=0),
        // and it still counts: (0.8 + 0.4 + 0 + 0) / 4 = 0.3.
        double[] out = new double[24];
        double[] target = new double[24];
        for (int r = 0; r < 6; r++) {
            System.arraycopy(MC_OUT, 3 * r, out, 4 * r, 3);
            System.arraycopy(MC_TARGET, 3 * r, target, 4 * r, 3);
        }
        MulticlassMetrics m = new MulticlassMetrics(4);
        m.add(out, target, 6, 0.0);
        assertArrayEquals(new double[] {0.8, 0.4, 0.0, 0.0}, m.f1PerClass(), EPS);
        assertEquals(0.3, m.macroF1(), EPS);
        assertEquals(0.5, m.accuracy(), EPS);
        assertEquals(1.2026066764585728, m.logLoss(), EPS);
    }

    @Test
    void logLossClampsProbabilitiesAt1eMinus15() {
        MulticlassMetrics m = new MulticlassMetrics(2);
        m.add(new double[] {0.0, 1.0}, new double[] {1, 0}, 1, 0.0);
        assertEquals(34.538776394910684, m.logLoss(), 1e-9); // −ln(1e-15)
    }

    @Test
    void mergedCountsAreExact() {
        MulticlassMetrics first = new MulticlassMetrics(3);
        first.add(MC_OUT, MC_TARGET, 2, 1.0);
        MulticlassMetrics second = new MulticlassMetrics(3);
        second.add(Arrays.copyOfRange(MC_OUT, 6, 18), Arrays.copyOfRange(MC_TARGET, 6, 18), 4, 2.0);
        MulticlassMetrics merged = first.merge(second);
        MulticlassMetrics all = MetricsExamples.multiclass();
        assertArrayEquals(all.confusionMatrix(), merged.confusionMatrix());
        assertEquals(all.count(), merged.count());
        assertEquals(all.accuracy(), merged.accuracy());
        assertEquals(all.macroF1(), merged.macroF1());
        assertEquals(all.logLoss(), merged.logLoss(), EPS);
        assertEquals(all.meanLoss(), merged.meanLoss(), EPS);
        assertEquals(4, second.count(), "the merged-in evaluation is not changed");
    }

    @Test
    void anEmptyEvaluationIsNaN() {
        MulticlassMetrics m = new MulticlassMetrics(3);
        assertTrue(Double.isNaN(m.accuracy()));
        assertTrue(Double.isNaN(m.macroF1()));
        assertTrue(Double.isNaN(m.meanLoss()));
        assertTrue(Double.isNaN(m.f1PerClass()[2]));
    }
}
