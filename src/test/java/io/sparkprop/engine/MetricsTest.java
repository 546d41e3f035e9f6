package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.engine.Metrics.Task;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double EPS = 1e-12;

    // Six rows, three classes. True class, output probabilities, predicted (arg-max) class:
    //   r0  0  [0.7 0.2 0.1]  0
    //   r1  0  [0.5 0.4 0.1]  0
    //   r2  1  [0.6 0.3 0.1]  0
    //   r3  1  [0.2 0.7 0.1]  1
    //   r4  2  [0.1 0.8 0.1]  1
    //   r5  2  [0.3 0.6 0.1]  1     class 2 is never predicted
    private static final double[] MC_OUT = {
        0.7, 0.2, 0.1,
        0.5, 0.4, 0.1,
        0.6, 0.3, 0.1,
        0.2, 0.7, 0.1,
        0.1, 0.8, 0.1,
        0.3, 0.6, 0.1};
    private static final double[] MC_TARGET = {
        1, 0, 0,
        1, 0, 0,
        0, 1, 0,
        0, 1, 0,
        0, 0, 1,
        0, 0, 1};

    private static Metrics multiclassExample() {
        Metrics m = Metrics.of(Task.MULTICLASS, 3);
        m.add(MC_OUT, MC_TARGET, 6, 3.0);
        return m;
    }

    @Test
    void multiclassConfusionAccuracyMacroF1AndLogLoss() {
        Metrics m = multiclassExample();
        assertEquals(6, m.count());
        assertEquals(0.5, m.meanLoss(), EPS); // 3.0 / 6
        // Rows true 0..2, columns predicted 0..2.
        assertArrayEquals(new long[][] {{2, 0, 0}, {1, 1, 0}, {0, 2, 0}}, m.confusionMatrix());
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
        Metrics m = Metrics.of(Task.MULTICLASS, 4);
        m.add(out, target, 6, 0.0);
        assertArrayEquals(new double[] {0.8, 0.4, 0.0, 0.0}, m.f1PerClass(), EPS);
        assertEquals(0.3, m.macroF1(), EPS);
        assertEquals(0.5, m.accuracy(), EPS);
        assertEquals(1.2026066764585728, m.logLoss(), EPS);
    }

    @Test
    void logLossClampsProbabilitiesAt1eMinus15() {
        Metrics m = Metrics.of(Task.MULTICLASS, 2);
        m.add(new double[] {0.0, 1.0}, new double[] {1, 0}, 1, 0.0);
        assertEquals(34.538776394910684, m.logLoss(), 1e-9); // −ln(1e-15)
        Metrics b = Metrics.of(Task.BINARY, 1);
        b.add(new double[] {1.0}, new double[] {0}, 1, 0.0);
        // −ln(1 − (1 − 1e-15)); 1 − 1e-15 rounds to 1 − 9.992007221626409e-16 in binary
        assertEquals(34.53957599234088, b.logLoss(), 1e-9);
    }

    @Test
    void binaryThresholdsAtOneHalf() {
        // y  p     prediction
        // 1  0.9   1   tp
        // 1  0.4   0   fn
        // 0  0.2   0   tn
        // 0  0.6   1   fp
        // 1  0.5   1   tp   (0.5 counts as positive)
        Metrics m = Metrics.of(Task.BINARY, 1);
        m.add(new double[] {0.9, 0.4, 0.2, 0.6, 0.5}, new double[] {1, 1, 0, 0, 1}, 5, 2.5);
        assertEquals(0.5, m.meanLoss(), EPS);
        assertArrayEquals(new long[][] {{1, 1}, {1, 2}}, m.confusionMatrix()); // {{tn, fp}, {fn, tp}}
        assertEquals(0.6, m.accuracy(), EPS); // (1 + 2) / 5
        // class 0: 2tn / (2tn + fn + fp) = 2/4 = 0.5; class 1: 2tp / (2tp + fp + fn) = 4/6
        assertArrayEquals(new double[] {0.5, 2.0 / 3}, m.f1PerClass(), EPS);
        assertEquals(7.0 / 12, m.macroF1(), EPS); // (1/2 + 2/3) / 2
        // The probability given to the true class: 0.9, 0.4, 1 − 0.2, 1 − 0.6, 0.5, so
        // −(ln 0.9 + ln 0.4 + ln 0.8 + ln 0.4 + ln 0.5) / 5 = −ln(0.0576) / 5
        assertEquals(0.5708465422560582, m.logLoss(), EPS);
    }

    @Test
    void multilabelCountsEveryLabelOnItsOwn() {
        // targets      outputs           predictions  wrong
        // r0 [1 0 1]   [0.8 0.3 0.4]     [1 0 0]      label 2 (fn)
        // r1 [0 1 1]   [0.6 0.9 0.7]     [1 1 1]      label 0 (fp)
        // r2 [1 1 0]   [0.7 0.2 0.1]     [1 0 0]      label 1 (fn)
        // r3 [0 0 0]   [0.1 0.4 0.2]     [0 0 0]      —
        Metrics m = Metrics.of(Task.MULTILABEL, 3);
        m.add(new double[] {0.8, 0.3, 0.4, 0.6, 0.9, 0.7, 0.7, 0.2, 0.1, 0.1, 0.4, 0.2},
                new double[] {1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0}, 4, 4.0);
        // label 0: y [1 0 1 0], p [1 1 1 0]: tn 1, fp 1, fn 0, tp 2 → F1 4/5
        // label 1: y [0 1 1 0], p [0 1 0 0]: tn 2, fp 0, fn 1, tp 1 → F1 2/3
        // label 2: y [1 1 0 0], p [0 1 0 0]: tn 2, fp 0, fn 1, tp 1 → F1 2/3
        assertArrayEquals(new long[][][] {{{1, 1}, {0, 2}}, {{2, 0}, {1, 1}}, {{2, 0}, {1, 1}}},
                m.labelConfusion());
        assertArrayEquals(new double[] {0.8, 2.0 / 3, 2.0 / 3}, m.f1PerClass(), EPS);
        assertEquals((0.8 + 4.0 / 3) / 3, m.macroF1(), EPS); // 0.71111…
        assertEquals(0.75, m.accuracy(), EPS); // 9 of 12 (row, label) pairs
        assertEquals(0.25, m.subsetAccuracy(), EPS); // only r3 entirely right
        // Per row −Σ_k ln p(true value of label k), p or 1 − p, mean over the 4 rows:
        //   −ln(0.8·0.7·0.4 · 0.4·0.9·0.7 · 0.7·0.2·0.9 · 0.9·0.6·0.8) / 4 = −ln(0.003072577536) / 4
        assertEquals(1.446309620341624, m.logLoss(), EPS);
        assertEquals(1.0, m.meanLoss(), EPS);
    }

    @Test
    void regressionWithTwoOutputs() {
        // output 0: y [1 2 3 4], o [1.5 2 2 4]: errors [.5 0 −1 0]
        //   SSE 1.25 → RMSE √(1.25/4) = √0.3125 = 0.5590169943749475; MAE 1.5/4 = 0.375
        //   ȳ 2.5, SS_tot 2.25 + .25 + .25 + 2.25 = 5 → R² = 1 − 1.25/5 = 0.75
        // output 1: y [0 0 2 2], o [1 0 2 1]: errors [1 0 0 −1]
        //   SSE 2 → RMSE √0.5 = 0.7071067811865476; MAE 0.5; ȳ 1, SS_tot 4 → R² = 1 − 2/4 = 0.5
        Metrics m = Metrics.of(Task.REGRESSION, 2);
        m.add(new double[] {1.5, 1, 2, 0, 2, 2, 4, 1}, new double[] {1, 0, 2, 0, 3, 2, 4, 2}, 4, 1.625);
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
        Metrics exact = Metrics.of(Task.REGRESSION, 2);
        Metrics off = Metrics.of(Task.REGRESSION, 1);
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
        Metrics all = Metrics.of(Task.REGRESSION, k);
        all.add(o, y, rows, 42.0);
        Metrics merged = mergedHalves(o, y, rows, k);
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
        Metrics merged = mergedHalves(data[0], data[1], rows, k);
        assertRelative(twoPassR2(data[0], data[1], rows, k), merged.r2PerOutput(), 1e-10);
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
    private static Metrics mergedHalves(double[] o, double[] y, int rows, int k) {
        Metrics left = Metrics.of(Task.REGRESSION, k);
        Metrics right = Metrics.of(Task.REGRESSION, k);
        addInBlocks(left, o, y, k, 0, 377, 50);
        addInBlocks(right, o, y, k, 377, rows, 111);
        return Metrics.of(Task.REGRESSION, k).merge(left).merge(Metrics.of(Task.REGRESSION, k)).merge(right);
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

    @Test
    void mergedClassificationCountsAreExact() {
        Metrics first = Metrics.of(Task.MULTICLASS, 3);
        first.add(MC_OUT, MC_TARGET, 2, 1.0);
        Metrics second = Metrics.of(Task.MULTICLASS, 3);
        second.add(java.util.Arrays.copyOfRange(MC_OUT, 6, 18), java.util.Arrays.copyOfRange(MC_TARGET, 6, 18), 4, 2.0);
        Metrics merged = first.merge(second);
        Metrics all = multiclassExample();
        assertArrayEquals(all.confusionMatrix(), merged.confusionMatrix());
        assertEquals(all.count(), merged.count());
        assertEquals(all.accuracy(), merged.accuracy());
        assertEquals(all.macroF1(), merged.macroF1());
        assertEquals(all.logLoss(), merged.logLoss(), EPS);
        assertEquals(all.meanLoss(), merged.meanLoss(), EPS);
    }

    @Test
    void theTaskFollowsTheOutputActivation() {
        assertEquals(Task.MULTICLASS, task(Activation.SOFTMAX, 4, Loss.CATEGORICAL_CROSS_ENTROPY));
        assertEquals(Task.MULTICLASS, task(Activation.SOFTMAX, 2, Loss.SQUARED_ERROR));
        assertEquals(Task.BINARY, task(Activation.SIGMOID, 1, Loss.BINARY_CROSS_ENTROPY));
        assertEquals(Task.BINARY, task(Activation.SIGMOID, 1, Loss.SQUARED_ERROR));
        assertEquals(Task.MULTILABEL, task(Activation.SIGMOID, 5, Loss.BINARY_CROSS_ENTROPY));
        assertEquals(Task.REGRESSION, task(Activation.IDENTITY, 1, Loss.SQUARED_ERROR));
        assertEquals(Task.REGRESSION, task(Activation.TANH, 3, Loss.SQUARED_ERROR));
        assertEquals(Task.REGRESSION, task(Activation.RELU, 2, Loss.SQUARED_ERROR));
        Metrics m = Metrics.forNetwork(Network.of(new int[] {4, 8, 5}, Activation.RELU, Activation.SIGMOID,
                Loss.BINARY_CROSS_ENTROPY));
        assertEquals(5, m.outputs());
    }

    @Test
    void gettersOfAnotherTaskAndMismatchedInputsAreRefused() {
        Metrics regression = Metrics.of(Task.REGRESSION, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, regression::accuracy);
        assertTrue(e.getMessage().contains("accuracy() applies to classification tasks"), e.getMessage());
        assertThrows(IllegalStateException.class, regression::confusionMatrix);
        Metrics multiclass = Metrics.of(Task.MULTICLASS, 3);
        e = assertThrows(IllegalStateException.class, multiclass::r2);
        assertTrue(e.getMessage().contains("r2() applies to regression tasks; this evaluation is of a multiclass task"),
                e.getMessage());
        assertThrows(IllegalStateException.class, multiclass::labelConfusion);
        assertThrows(IllegalStateException.class, multiclass::subsetAccuracy);
        assertThrows(IllegalStateException.class, Metrics.of(Task.MULTILABEL, 2)::confusionMatrix);

        assertThrows(IllegalArgumentException.class, () -> multiclass.merge(Metrics.of(Task.MULTICLASS, 4)));
        assertThrows(IllegalArgumentException.class, () -> multiclass.merge(Metrics.of(Task.MULTILABEL, 3)));
        assertThrows(IllegalArgumentException.class, () -> multiclass.add(new double[5], new double[6], 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(Task.BINARY, 2));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(Task.MULTICLASS, 1));
    }

    @Test
    void emptyEvaluationsAreNaNAndLongerBuffersAreFine() {
        Metrics m = Metrics.of(Task.MULTICLASS, 3);
        assertTrue(Double.isNaN(m.accuracy()));
        assertTrue(Double.isNaN(m.macroF1()));
        assertTrue(Double.isNaN(m.meanLoss()));
        Metrics r = Metrics.of(Task.REGRESSION, 1);
        assertTrue(Double.isNaN(r.r2()));
        assertTrue(Double.isNaN(r.rmse()));
        // A workspace buffer longer than rows × k: only the first rows are read.
        r.add(new double[] {1, 2, 99, 99}, new double[] {1, 4, -7, -7}, 2, 0.0);
        assertEquals(2, r.count());
        assertEquals(1.0, r.mae(), EPS);
    }

    @Test
    void toMapIsOrderedAndWritesAsJson() throws Exception {
        Map<String, Object> map = multiclassExample().toMap();
        assertEquals(List.of("task", "count", "loss", "accuracy", "logLoss", "macroF1", "f1PerClass",
                "confusionMatrix"), List.copyOf(map.keySet()));
        String json = new ObjectMapper().writeValueAsString(map);
        assertTrue(json.startsWith("{\"task\":\"multiclass\",\"count\":6,\"loss\":0.5,\"accuracy\":0.5,"), json);
        assertTrue(json.endsWith("\"confusionMatrix\":[[2,0,0],[1,1,0],[0,2,0]]}"), json);

        Metrics labels = Metrics.of(Task.MULTILABEL, 2);
        labels.add(new double[] {0.9, 0.1}, new double[] {1, 1}, 1, 0.0);
        assertEquals(List.of("task", "count", "loss", "accuracy", "subsetAccuracy", "logLoss", "macroF1",
                "f1PerLabel", "labelConfusion"), List.copyOf(labels.toMap().keySet()));
        assertTrue(new ObjectMapper().writeValueAsString(labels.toMap())
                .endsWith("\"labelConfusion\":[[[0,0],[0,1]],[[0,0],[1,0]]]}"));

        Metrics regression = Metrics.of(Task.REGRESSION, 2);
        assertEquals(List.of("task", "count", "loss", "rmse", "mae", "r2", "rmsePerOutput", "maePerOutput",
                "r2PerOutput"), List.copyOf(regression.toMap().keySet()));
    }

    @Test
    void formatPrintsMetricsAndAnAlignedConfusionMatrix() {
        String text = multiclassExample().format();
        assertEquals(String.join("\n",
                "task                  multiclass (3 classes)",
                "examples              6",
                "loss                  0.500000",
                "accuracy              0.5000",
                "log loss              1.20261",
                "macro F1              0.4000",
                "confusion matrix (rows: true class, columns: predicted class)",
                "true\\pred    0    1    2",
                "        0    2    0    0",
                "        1    1    1    0",
                "        2    0    2    0",
                ""), text);

        Metrics wide = Metrics.of(Task.MULTICLASS, 21);
        double[] one = new double[21];
        one[20] = 1;
        wide.add(one, one, 1, 0.0);
        String summary = wide.format();
        assertTrue(summary.contains("accuracy              1.0000"), summary);
        assertTrue(summary.endsWith("confusion matrix not printed for 21 classes; it is in the JSON output\n"), summary);

        Metrics regression = Metrics.of(Task.REGRESSION, 2);
        regression.add(new double[] {1.5, 1, 2, 0, 2, 2, 4, 1}, new double[] {1, 0, 2, 0, 3, 2, 4, 2}, 4, 1.625);
        String r = regression.format();
        assertTrue(r.contains("R^2                   0.6250\n"), r);
        assertTrue(r.contains("output     RMSE      MAE      R^2\n"
                + "     0 0.559017 0.375000   0.7500\n"
                + "     1 0.707107 0.500000   0.5000\n"), r);
    }

    private static Task task(Activation output, int units, Loss loss) {
        return Metrics.forNetwork(Network.of(new int[] {3, units}, Activation.RELU, output, loss)).task();
    }

    private static void addInBlocks(Metrics m, double[] o, double[] y, int k, int from, int to, int block) {
        for (int start = from; start < to; start += block) {
            int rows = Math.min(block, to - start);
            m.add(java.util.Arrays.copyOfRange(o, start * k, (start + rows) * k),
                    java.util.Arrays.copyOfRange(y, start * k, (start + rows) * k), rows, 42.0 * rows / 1000);
        }
    }

    private static void assertRelative(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], tolerance * Math.abs(expected[j]), "output " + j);
        }
    }
}
