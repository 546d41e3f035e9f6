package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Weighted rows in every {@link Metrics} task: an integer weight counts like that many copies of the row. */
class WeightedMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void integerWeightsEqualDuplicatedRowsInEveryTask() {
        SplittableRandom random = new SplittableRandom(5);
        for (Metrics.Task task : Metrics.Task.values()) {
            int k = task == Metrics.Task.BINARY ? 1 : 3;
            int rows = 9;
            double[] o = new double[rows * k];
            double[] y = new double[rows * k];
            for (int r = 0; r < rows; r++) {
                int truth = random.nextInt(k);
                for (int j = 0; j < k; j++) {
                    o[r * k + j] = random.nextDouble();
                    y[r * k + j] = switch (task) {
                        case MULTICLASS -> j == truth ? 1 : 0;
                        case BINARY, MULTILABEL -> random.nextInt(2);
                        case REGRESSION -> random.nextDouble(-2, 2);
                    };
                }
            }
            int[] copies = {2, 0, 1, 3, 1, 0, 4, 1, 2};
            double[] weights = new double[rows];
            Metrics duplicated = Metrics.of(task, k);
            double lossSum = 0;
            for (int r = 0; r < rows; r++) {
                weights[r] = copies[r];
                double rowLoss = 0.25 * (r + 1);
                lossSum += copies[r] * rowLoss;
                for (int c = 0; c < copies[r]; c++) {
                    duplicated.add(java.util.Arrays.copyOfRange(o, r * k, r * k + k),
                            java.util.Arrays.copyOfRange(y, r * k, r * k + k), 1, rowLoss);
                }
            }
            // Weighted rows in two blocks, merged: merging stays exact too.
            Metrics weighted = Metrics.of(task, k);
            weighted.add(o, y, 4, 0.0, java.util.Arrays.copyOf(weights, 4));
            Metrics rest = Metrics.of(task, k);
            rest.add(java.util.Arrays.copyOfRange(o, 4 * k, rows * k), java.util.Arrays.copyOfRange(y, 4 * k, rows * k),
                    rows - 4, lossSum, java.util.Arrays.copyOfRange(weights, 4, rows));
            weighted.merge(rest);

            assertEquals(rows, weighted.count(), task + ": count stays the row count");
            assertEquals(14.0, weighted.weight(), task.id());
            assertEquals(14.0, duplicated.weight(), task.id());
            assertEquals(duplicated.meanLoss(), weighted.meanLoss(), EPS, task.id());
            Map<String, Object> expected = numbers(duplicated);
            Map<String, Object> actual = numbers(weighted);
            assertEquals(expected.keySet(), actual.keySet());
            for (String key : expected.keySet()) {
                assertNumbersEqual(expected.get(key), actual.get(key), task.id() + " " + key);
            }
        }
    }

    @Test
    void fractionalWeightsWeighTheConfusionMatrixAndTheAccuracy() {
        // MetricsExamples' six rows: true 0 0 1 1 2 2, predicted 0 0 0 1 1 1.
        MulticlassMetrics m = new MulticlassMetrics(3);
        m.add(MetricsExamples.MC_OUT, MetricsExamples.MC_TARGET, 6, 3.0, new double[] {0.5, 1, 2, 0.25, 0, 1.25});
        assertArrayEquals(new double[][] {{1.5, 0, 0}, {2, 0.25, 0}, {0, 1.25, 0}}, m.confusionMatrix());
        assertEquals(5.0, m.weight());
        assertEquals(1.75 / 5, m.accuracy(), EPS);
        assertEquals(3.0 / 5, m.meanLoss(), EPS);
    }

    @Test
    void rowsOfWeightZeroOnlyLeaveEveryMeanNaN() {
        RegressionMetrics r = new RegressionMetrics(1);
        r.add(new double[] {1, 2}, new double[] {0, 5}, 2, 0.0, new double[] {0, 0});
        assertEquals(2, r.count());
        assertTrue(Double.isNaN(r.meanLoss()) && Double.isNaN(r.rmse()) && Double.isNaN(r.r2()));
        BinaryMetrics b = new BinaryMetrics();
        b.add(new double[] {1}, new double[] {1}, 1, 0.0, new double[] {0});
        assertTrue(Double.isNaN(b.accuracy()) && Double.isNaN(b.macroF1()));
    }

    @Test
    void tooFewWeightsAreRefused() {
        BinaryMetrics b = new BinaryMetrics();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.add(new double[] {1, 0}, new double[] {1, 0}, 2, 0.0, new double[] {1}));
        assertEquals("2 rows do not fit in 1 weights", e.getMessage());
    }

    /** Every number the task's metrics give, by name. */
    private static Map<String, Object> numbers(Metrics m) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("loss", m.meanLoss());
        if (m instanceof ClassificationMetrics c) {
            map.put("accuracy", c.accuracy());
            map.put("logLoss", c.logLoss());
            map.put("macroF1", c.macroF1());
        }
        if (m instanceof MulticlassMetrics c) {
            map.put("f1", c.f1PerClass());
            map.put("confusion", c.confusionMatrix());
        } else if (m instanceof BinaryMetrics c) {
            map.put("f1", c.f1PerClass());
            map.put("confusion", c.confusionMatrix());
        } else if (m instanceof MultilabelMetrics c) {
            map.put("subsetAccuracy", c.subsetAccuracy());
            map.put("f1", c.f1PerLabel());
            map.put("confusion", c.labelConfusion());
        } else if (m instanceof RegressionMetrics r) {
            map.put("rmse", r.rmsePerOutput());
            map.put("mae", r.maePerOutput());
            map.put("r2", r.r2PerOutput());
        }
        return map;
    }

    private static void assertNumbersEqual(Object expected, Object actual, String what) {
        if (expected instanceof Object[] e) {
            Object[] a = (Object[]) actual;
            assertEquals(e.length, a.length, what);
            for (int i = 0; i < e.length; i++) {
                assertNumbersEqual(e[i], a[i], what + "[" + i + "]");
            }
        } else if (expected instanceof double[] e) {
            double[] a = (double[]) actual;
            assertEquals(e.length, a.length, what);
            for (int i = 0; i < e.length; i++) {
                assertNumbersEqual(e[i], a[i], what + "[" + i + "]");
            }
        } else {
            double x = (Double) expected;
            assertEquals(x, (Double) actual, EPS * Math.max(1, Math.abs(x)), what);
        }
    }
}
