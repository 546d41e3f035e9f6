package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CSR path of {@link Backprop} against the dense path on the same numbers, and against
 * central differences.
 */
class SparseBackpropTest {
    private static final int ROWS = 7;
    private static final int FEATURES = 50;

    /**
     * CSR rows of {@code columns} features with about {@code perRow} non-zeros each (0 to
     * 2·perRow, so some rows are empty), values in [−1, 1), columns unsorted.
     */
    static SparseFeatures randomRows(int rows, int columns, int perRow, long seed, Precision precision) {
        SplittableRandom random = new SplittableRandom(seed);
        SparseFeatures.Builder builder = new SparseFeatures.Builder(columns, precision, rows, rows * perRow);
        for (int r = 0; r < rows; r++) {
            int count = r == 1 ? 0 : random.nextInt(2 * perRow + 1);
            boolean[] used = new boolean[columns];
            for (int k = 0; k < count; k++) {
                int column = random.nextInt(columns);
                if (!used[column]) {
                    used[column] = true;
                    builder.add(column, random.nextDouble(-1.0, 1.0));
                }
            }
            builder.endRow();
        }
        return builder.build();
    }

    static double[] dense(SparseFeatures x) {
        return TestData.dense(x);
    }

    private static double[] params(Network network) {
        double[] params = Initializer.initialize(network, 7);
        for (int i = 0; i < params.length; i++) {
            params[i] += 0.05 * Math.sin(i); // non-zero biases too
        }
        return params;
    }

    private static Network network(Activation hidden, Activation output, Loss loss) {
        return Network.of(new int[] {FEATURES, 6, 5, 3}, hidden, output, loss);
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("io.sparkprop.engine.BackpropTest#combinations")
    void csrGradientAndLossEqualTheDensePaths(Activation hidden, Activation output, Loss loss) {
        Network network = network(hidden, output, loss);
        double[] params = params(network);
        SparseFeatures x = randomRows(ROWS, FEATURES, 5, 3, Precision.FLOAT64);
        double[] y = TestData.targets(network, ROWS, 4);
        double[] weights = {1, 0, 2.5, 0.25, 3, 1, 0.5};
        for (double[] w : new double[][] {null, weights}) {
            Backprop engine = new Backprop(network);
            GradientSum dense = new GradientSum(params.length);
            engine.accumulate(params, new Block(ROWS, dense(x), y, w), new Workspace(network, ROWS), dense);
            GradientSum sparse = new GradientSum(params.length);
            engine.accumulate(params, new Block(x, y, w), new Workspace(network, 2), sparse);
            assertClose(dense.gradient(), sparse.gradient(), 1e-10);
            assertEquals(dense.loss(), sparse.loss(), 1e-10 * Math.abs(dense.loss()));
            assertEquals(dense.count(), sparse.count());
            assertEquals(dense.weight(), sparse.weight());
            assertEquals(dense.correct(), sparse.correct());
        }
    }

    /** Every entry within {@code tolerance} of the largest gradient entry. */
    private static void assertClose(double[] expected, double[] actual, double tolerance) {
        double largest = 0;
        for (double g : expected) {
            largest = Math.max(largest, Math.abs(g));
        }
        assertTrue(largest > 0);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * largest, "parameter " + i);
        }
    }

    @Test
    void aTasksFoldOverSparseBlocksEqualsTheDenseFold() {
        Network network = Network.parse("tanh(7)|relu(5)|softmax(4)", FEATURES, Loss.CATEGORICAL_CROSS_ENTROPY);
        double[] params = params(network);
        Backprop engine = new Backprop(network);
        List<Block> sparse = new java.util.ArrayList<>();
        List<Block> dense = new java.util.ArrayList<>();
        for (int b = 0; b < 4; b++) {
            SparseFeatures x = randomRows(b == 3 ? 3 : ROWS, FEATURES, 5, 10 + b, Precision.FLOAT64);
            double[] y = TestData.targets(network, x.rows(), 20 + b);
            sparse.add(new Block(x, y, null));
            dense.add(new Block(x.rows(), dense(x), y));
        }
        // A dense block among the sparse ones: the first layer's two gradient paths add up.
        Block mixed = TestData.block(network, 5, 30);
        List<Block> withDense = new java.util.ArrayList<>(sparse);
        withDense.add(2, mixed);
        List<Block> allDense = new java.util.ArrayList<>(dense);
        allDense.add(2, mixed);

        GradientSum expected = engine.sum(params, allDense.iterator());
        GradientSum actual = engine.sum(params, withDense.iterator());
        assertClose(expected.gradient(), actual.gradient(), 1e-10);
        assertEquals(expected.loss(), actual.loss(), 1e-10 * expected.loss());
        assertEquals(expected.count(), actual.count());

        Metrics denseMetrics = engine.evaluate(params, dense.iterator());
        Metrics sparseMetrics = engine.evaluate(params, sparse.iterator());
        assertEquals(denseMetrics.meanLoss(), sparseMetrics.meanLoss(), 1e-10 * denseMetrics.meanLoss());
        assertEquals(denseMetrics.count(), sparseMetrics.count());
        assertEquals(((ClassificationMetrics) denseMetrics).accuracy(),
                ((ClassificationMetrics) sparseMetrics).accuracy());
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("io.sparkprop.engine.BackpropTest#combinations")
    void csrGradientMatchesCentralDifferences(Activation hidden, Activation output, Loss loss) {
        Network network = network(hidden, output, loss);
        double[] params = params(network);
        Block block = new Block(randomRows(ROWS, FEATURES, 5, 5, Precision.FLOAT64),
                TestData.targets(network, ROWS, 6), new double[] {1, 0, 2.5, 0.25, 3, 1, 0.5});
        Backprop engine = new Backprop(network);
        Workspace ws = new Workspace(network, ROWS);
        GradientSum sum = new GradientSum(params.length);
        engine.accumulate(params, block, ws, sum);

        // Fourth-order central differences, as in BackpropTest; the weights of the inputs a row
        // never uses have gradient 0, and must come out exactly 0 here too.
        double h = 1e-4;
        for (int i = 0; i < params.length; i++) {
            double saved = params[i];
            double[] c = new double[4];
            double[] steps = {2 * h, h, -h, -2 * h};
            for (int s = 0; s < 4; s++) {
                params[i] = saved + steps[s];
                GradientSum at = new GradientSum(params.length);
                engine.accumulate(params, block, ws, at);
                c[s] = at.loss();
            }
            params[i] = saved;
            double numeric = (-c[0] + 8 * c[1] - 8 * c[2] + c[3]) / (12 * h);
            double analytic = sum.gradient()[i];
            // 1e-6 relative, but no tighter than the stencil's round-off, about 1e-16·C/h = 1e-11
            // for these losses (a first-layer weight's gradient can be as small as 1e-5).
            double tolerance = Math.max(1e-6 * Math.max(Math.abs(numeric), Math.abs(analytic)), 1e-10);
            assertEquals(numeric, analytic, tolerance, "parameter " + i);
        }
    }

    @Test
    void aOneLayerNetworkOnSparseInputs() {
        Network network = Network.parse("softmax(3)", FEATURES, Loss.CATEGORICAL_CROSS_ENTROPY);
        double[] params = params(network);
        SparseFeatures x = randomRows(ROWS, FEATURES, 5, 8, Precision.FLOAT64);
        double[] y = TestData.targets(network, ROWS, 9);
        Backprop engine = new Backprop(network);
        GradientSum dense = new GradientSum(params.length);
        engine.accumulate(params, new Block(ROWS, dense(x), y), new Workspace(network, ROWS), dense);
        GradientSum sparse = new GradientSum(params.length);
        engine.accumulate(params, new Block(x, y, null), new Workspace(network, ROWS), sparse);
        assertClose(dense.gradient(), sparse.gradient(), 1e-10);
        assertEquals(dense.loss(), sparse.loss(), 1e-10 * dense.loss());
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("io.sparkprop.engine.BackpropTest#combinations")
    void float32CsrAgreesWithFloat32Dense(Activation hidden, Activation output, Loss loss) {
        Network network = network(hidden, output, loss);
        double[] params = params(network);
        SparseFeatures x = randomRows(ROWS, FEATURES, 5, 3, Precision.FLOAT32);
        double[] x64 = dense(x);
        float[] x32 = new float[x64.length];
        for (int i = 0; i < x32.length; i++) {
            x32[i] = (float) x64[i];
        }
        double[] y = TestData.targets(network, ROWS, 4);
        float[] y32 = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            y32[i] = (float) y[i];
        }
        Backprop engine = new Backprop(network);
        GradientSum dense = engine.sum(params, List.of(new Block(ROWS, x32, y32)).iterator());
        GradientSum sparse = engine.sum(params, List.of(new Block(x, y32, null)).iterator());
        // Both round to float32 (the sparse first-layer gradient sums in float64): float32 apart.
        assertClose(dense.gradient(), sparse.gradient(), 1e-5);
        assertEquals(dense.loss(), sparse.loss(), 1e-5 * Math.abs(dense.loss()));
        assertEquals(dense.count(), sparse.count());
    }

    @Test
    void predictionsOnCsrRowsEqualTheDenseOnes() {
        Network network = Network.parse("relu(8)|sigmoid(2)", FEATURES, Loss.BINARY_CROSS_ENTROPY);
        double[] params = params(network);
        SparseFeatures x = randomRows(ROWS, FEATURES, 5, 12, Precision.FLOAT64);
        Backprop engine = new Backprop(network);
        double[] raw = new double[ROWS * 2];
        double[] out = new double[ROWS * 2];
        SparseInputLayer first = SparseInputLayer.of(network, params, Precision.FLOAT64);
        engine.predict(params, first, x, new Workspace(network, 1), raw, out);
        double[] denseRaw = new double[ROWS * 2];
        double[] denseOut = new double[ROWS * 2];
        engine.predict(params, dense(x), ROWS, new Workspace(network, ROWS), denseRaw, denseOut);
        assertArrayEquals(denseRaw, raw, 1e-12);
        assertArrayEquals(denseOut, out, 1e-12);
    }

    @Test
    void aSparseBlockTakesMemoryInProportionToItsNonZeros() throws Exception {
        // 1,024 rows of 100,000 features: dense, 819 MB in float64; here 30 and then 60 non-zeros a row.
        int rows = 1024;
        int width = 100_000;
        long[] serialized = new long[2];
        long[] bytes = new long[2];
        for (int t = 0; t < 2; t++) {
            int perRow = 30 * (t + 1);
            SparseFeatures.Builder builder = new SparseFeatures.Builder(width, Precision.FLOAT64, rows, 0);
            SplittableRandom random = new SplittableRandom(t);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < perRow; k++) {
                    builder.add(random.nextInt(width), random.nextDouble());
                }
                builder.endRow();
            }
            SparseFeatures x = builder.build();
            assertEquals(rows * perRow, x.nonZeros());
            Block block = new Block(x, new double[rows * 2], null);
            assertEquals(width, block.inputs());
            bytes[t] = x.bytes();
            assertEquals(4L * (rows + 1) + 12L * rows * perRow, bytes[t]);
            assertEquals(bytes[t] + 8L * rows * 2, block.bytes());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream stream = new java.io.ObjectOutputStream(out)) {
                stream.writeObject(block);
            }
            serialized[t] = out.size();
        }
        // What a cached block costs when written out: the non-zeros, 2 targets a row and little else.
        for (int t = 0; t < 2; t++) {
            long payload = bytes[t] + 8L * rows * 2;
            assertTrue(serialized[t] > payload && serialized[t] < payload + 2048,
                    serialized[t] + " bytes serialised for " + payload + " bytes of arrays");
        }
        assertEquals(2.0, (double) (bytes[1] - 4 * (rows + 1)) / (bytes[0] - 4 * (rows + 1)), 1e-12);
    }

    @Test
    void csrArraysThatDoNotFitAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new SparseFeatures(3, new int[] {0, 2}, new int[] {0}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> new SparseFeatures(3, new int[] {0, 1}, new int[] {3}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> new SparseFeatures(3, new int[] {0, 2, 1}, new int[] {0}, new double[] {1}));
        SparseFeatures x32 = new SparseFeatures(3, new int[] {0, 1}, new int[] {2}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> new Block(x32, new double[] {1}, null));
        Block block = new Block(x32, new float[] {1}, null);
        assertEquals(Precision.FLOAT32, block.precision());
        assertTrue(block.isSparse());
        assertThrows(IllegalStateException.class, block::features32);
        assertThrows(IllegalStateException.class, () -> TestData.block(network(Activation.TANH, Activation.SOFTMAX,
                Loss.CATEGORICAL_CROSS_ENTROPY), 2, 1).sparseFeatures());
    }
}
