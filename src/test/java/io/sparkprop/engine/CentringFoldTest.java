package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Standardised training on sparse inputs, centring folded into the first layer, against dense standardised training. */
class CentringFoldTest {
    private static final int ROWS = 7;
    private static final int FEATURES = 50;

    private static Standardization standardization(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] mean = new double[FEATURES];
        double[] scale = new double[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            mean[i] = random.nextDouble(-0.5, 0.5);
            scale[i] = random.nextDouble(0.2, 3.0);
        }
        return new Standardization(mean, scale);
    }

    /** The CSR rows with every value divided by its feature's scale: what a folded block holds. */
    private static SparseFeatures scaled(SparseFeatures x, Standardization st) {
        double[] values = x.values().clone();
        for (int k = 0; k < values.length; k++) {
            values[k] = st.scaled(x.indices()[k], values[k]);
        }
        return new SparseFeatures(x.columns(), x.rowStart(), x.indices(), values);
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("io.sparkprop.engine.BackpropTest#combinations")
    void foldedSparseGradientEqualsTheDenseStandardisedOne(Activation hidden, Activation output, Loss loss) {
        Network network = Network.of(new int[] {FEATURES, 6, 5, 3}, hidden, output, loss);
        double[] params = Initializer.initialize(network, 3);
        Standardization st = standardization(4);
        SparseFeatures x = SparseBackpropTest.randomRows(ROWS, FEATURES, 5, 5, Precision.FLOAT64);
        double[] y = TestData.targets(network, ROWS, 6);
        double[] standardized = SparseBackpropTest.dense(x);
        st.apply(standardized, ROWS);
        Backprop engine = new Backprop(network);
        GradientSum dense = engine.sum(params, List.of(new Block(ROWS, standardized, y)).iterator());

        CentringFold fold = new CentringFold(network, st);
        double[] folded = fold.fold(params);
        GradientSum sparse = engine.sum(folded, List.of(new Block(scaled(x, st), y, null)).iterator());
        fold.unfold(sparse.gradient());

        double largest = 0;
        for (double g : dense.gradient()) {
            largest = Math.max(largest, Math.abs(g));
        }
        assertArrayEquals(dense.gradient(), sparse.gradient(), 1e-10 * largest);
        assertEquals(dense.loss(), sparse.loss(), 1e-10 * Math.abs(dense.loss()));
        assertEquals(dense.correct(), sparse.correct());
        // Only the first layer's biases move.
        for (int i = 0; i < params.length; i++) {
            if (i < network.biasOffset(0) || i >= network.weightOffset(1)) {
                assertEquals(params[i], folded[i], 0.0, "parameter " + i);
            }
        }
    }

    @Test
    void predictionsThroughTheFoldEqualTheStandardisedModels() {
        Network network = Network.parse("relu(8)|softmax(3)", FEATURES, Loss.CATEGORICAL_CROSS_ENTROPY);
        double[] params = Initializer.initialize(network, 5);
        Standardization st = standardization(6);
        SparseFeatures x = SparseBackpropTest.randomRows(ROWS, FEATURES, 5, 7, Precision.FLOAT64);
        double[] expected = new Model(network, params, st).predict(SparseBackpropTest.dense(x), ROWS);
        double[] folded = new CentringFold(network, st).fold(params);
        double[] raw = new double[ROWS * 3];
        double[] out = new double[ROWS * 3];
        new Backprop(network).predict(folded, SparseInputLayer.of(network, folded, Precision.FLOAT64), scaled(x, st),
                new Workspace(network, ROWS), raw, out);
        assertArrayEquals(expected, out, 1e-12);
    }
}
