package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MultilabelMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void countsEveryLabelOnItsOwn() {
        // targets      outputs           predictions  wrong
        // r0 [1 0 1]   [0.8 0.3 0.4]     [1 0 0]      label 2 (fn)
        // r1 [0 1 1]   [0.6 0.9 0.7]     [1 1 1]      label 0 (fp)
        // r2 [1 1 0]   [0.7 0.2 0.1]     [1 0 0]      label 1 (fn)
        // r3 [0 0 0]   [0.1 0.4 0.2]     [0 0 0]      —
        MultilabelMetrics m = MetricsExamples.multilabel();
        assertEquals(3, m.labels());
        // label 0: y [1 0 1 0], p [1 1 1 0]: tn 1, fp 1, fn 0, tp 2 → F1 4/5
        // label 1: y [0 1 1 0], p [0 1 0 0]: tn 2, fp 0, fn 1, tp 1 → F1 2/3
        // label 2: y [1 1 0 0], p [0 1 0 0]: tn 2, fp 0, fn 1, tp 1 → F1 2/3
        assertArrayEquals(new double[][][] {{{1, 1}, {0, 2}}, {{2, 0}, {1, 1}}, {{2, 0}, {1, 1}}},
                m.labelConfusion());
        assertArrayEquals(new double[] {0.8, 2.0 / 3, 2.0 / 3}, m.f1PerLabel(), EPS);
        assertEquals((0.8 + 4.0 / 3) / 3, m.macroF1(), EPS); // 0.71111…
        assertEquals(0.75, m.accuracy(), EPS); // 9 of 12 (row, label) pairs
        assertEquals(0.25, m.subsetAccuracy(), EPS); // only r3 entirely right
        // Per row −Σ_k ln p(true value of label k), p or 1 − p, mean over the 4 rows:
        //   −ln(0.8·0.7·0.4 · 0.4·0.9·0.7 · 0.7·0.2·0.9 · 0.9·0.6·0.8) / 4 = −ln(0.003072577536) / 4
        assertEquals(1.446309620341624, m.logLoss(), EPS);
        assertEquals(1.0, m.meanLoss(), EPS);
    }

    @Test
    void mergingEqualsAddingAllRowsAtOnce() {
        MultilabelMetrics first = new MultilabelMetrics(3);
        first.add(new double[] {0.8, 0.3, 0.4}, new double[] {1, 0, 1}, 1, 1.0);
        MultilabelMetrics second = new MultilabelMetrics(3);
        second.add(new double[] {0.6, 0.9, 0.7, 0.7, 0.2, 0.1, 0.1, 0.4, 0.2},
                new double[] {0, 1, 1, 1, 1, 0, 0, 0, 0}, 3, 3.0);
        MultilabelMetrics merged = first.merge(second);
        MultilabelMetrics all = MetricsExamples.multilabel();
        assertArrayEquals(all.labelConfusion(), merged.labelConfusion());
        assertEquals(all.subsetAccuracy(), merged.subsetAccuracy());
        assertEquals(all.logLoss(), merged.logLoss(), EPS);
        assertEquals(all.meanLoss(), merged.meanLoss(), EPS);
    }

    @Test
    void anEmptyEvaluationIsNaN() {
        MultilabelMetrics m = new MultilabelMetrics(2);
        assertTrue(Double.isNaN(m.accuracy()));
        assertTrue(Double.isNaN(m.subsetAccuracy()));
        assertTrue(Double.isNaN(m.macroF1()));
    }
}
