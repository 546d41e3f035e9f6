package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackpropTest {

    /** Every hidden activation × every output activation and loss the engine accepts. */
    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        Activation[] hidden = {Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY};
        for (Activation h : hidden) {
            for (Activation out : Activation.values()) {
                for (Loss loss : Loss.values()) {
                    if (loss.requiredOutput() == null || loss.requiredOutput() == out) {
                        all.add(Arguments.of(h, out, loss));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("combinations")
    void analyticGradientMatchesCentralDifferences(Activation hidden, Activation output, Loss loss) {
        Network network = Network.of(new int[] {4, 6, 5, 3}, hidden, output, loss);
        double[] params = Initializer.initialize(network, 7);
        for (int i = 0; i < params.length; i++) {
            params[i] += 0.05 * Math.sin(i); // non-zero biases too
        }
        Block block = TestData.block(network, 6, 11);
        Backprop engine = new Backprop(network);
        Workspace ws = new Workspace(network, 2); // too small on purpose: must grow

        assertGradientMatchesCentralDifferences(engine, params, block, ws);
        // Weighted rows (zero and fractional weights too): the gradient of the weighted loss.
        Block weighted = new Block(6, block.features(), block.targets(), new double[] {1, 0, 2.5, 0.25, 3, 1});
        assertGradientMatchesCentralDifferences(engine, params, weighted, ws);
    }

    private static void assertGradientMatchesCentralDifferences(Backprop engine, double[] params, Block block,
                                                                Workspace ws) {
        GradientSum sum = new GradientSum(params.length);
        engine.accumulate(params, block, ws, sum);
        assertEquals(6, sum.count());
        assertEquals(block.totalWeight(), sum.weight());

        // Fourth-order central differences, (−C(θ+2h) + 8C(θ+h) − 8C(θ−h) + C(θ−2h)) / 12h: truncation
        // error O(h⁴) and round-off about 1e-16·C/h, both far below the 1e-6 relative tolerance,
        // which the plain two-point form cannot promise for the smaller gradients here.
        double h = 1e-4;
        for (int i = 0; i < params.length; i++) {
            double saved = params[i];
            double[] c = new double[4];
            double[] steps = {2 * h, h, -h, -2 * h};
            for (int s = 0; s < 4; s++) {
                params[i] = saved + steps[s];
                c[s] = loss(engine, params, block, ws);
            }
            params[i] = saved;
            double numeric = (-c[0] + 8 * c[1] - 8 * c[2] + c[3]) / (12 * h);
            double analytic = sum.gradient()[i];
            double scale = Math.max(Math.abs(numeric), Math.abs(analytic));
            if (scale > 1e-7) {
                assertTrue(Math.abs(numeric - analytic) / scale < 1e-6, "parameter " + i + ": analytic "
                        + analytic + " vs numeric " + numeric);
            } else {
                assertEquals(numeric, analytic, 1e-10, "parameter " + i); // round-off of the stencil
            }
        }
    }

    private static double loss(Backprop engine, double[] params, Block block, Workspace ws) {
        GradientSum s = new GradientSum(params.length);
        engine.accumulate(params, block, ws, s);
        return s.loss();
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("combinations")
    void float32GradientAgreesWithFloat64(Activation hidden, Activation output, Loss loss) {
        Network network = Network.of(new int[] {4, 6, 5, 3}, hidden, output, loss);
        double[] params = Initializer.initialize(network, 7);
        Block block = TestData.block(network, 6, 11);
        float[] x = new float[block.features().length];
        float[] y = new float[block.targets().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) block.features()[i];
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) block.targets()[i];
        }
        Backprop engine = new Backprop(network);
        GradientSum exact = new GradientSum(params.length);
        engine.accumulate(params, block, new Workspace(network, 6), exact);
        GradientSum single = new GradientSum(params.length);
        engine.accumulate(params, new Block(6, x, y), new Workspace(network, 6), single);

        double diff = 0;
        double norm = 0;
        for (int i = 0; i < params.length; i++) {
            diff += Math.pow(single.gradient()[i] - exact.gradient()[i], 2);
            norm += Math.pow(exact.gradient()[i], 2);
        }
        assertTrue(Math.sqrt(diff / norm) < 1e-5, "relative error " + Math.sqrt(diff / norm));
        assertEquals(exact.loss(), single.loss(), 1e-5 * Math.abs(exact.loss()));
        assertEquals(exact.count(), single.count());
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("combinations")
    void integerWeightsCountLikeDuplicatedRows(Activation hidden, Activation output, Loss loss) {
        Network network = Network.of(new int[] {4, 6, 5, 3}, hidden, output, loss);
        double[] params = Initializer.initialize(network, 7);
        Block block = TestData.block(network, 6, 11);
        int[] copies = {1, 0, 3, 2, 1, 4};
        int rows = java.util.Arrays.stream(copies).sum();
        double[] x = new double[rows * 4];
        double[] y = new double[rows * 3];
        double[] w = new double[6];
        for (int r = 0, at = 0; r < 6; r++) {
            w[r] = copies[r];
            for (int k = 0; k < copies[r]; k++, at++) {
                System.arraycopy(block.features(), r * 4, x, at * 4, 4);
                System.arraycopy(block.targets(), r * 3, y, at * 3, 3);
            }
        }
        Backprop engine = new Backprop(network);
        GradientSum weighted = new GradientSum(params.length);
        engine.accumulate(params, new Block(6, block.features(), block.targets(), w), new Workspace(network, 6), weighted);
        GradientSum duplicated = new GradientSum(params.length);
        engine.accumulate(params, new Block(rows, x, y), new Workspace(network, rows), duplicated);
        assertArrayEquals(duplicated.gradient(), weighted.gradient(), 1e-12);
        assertEquals(duplicated.loss(), weighted.loss(), 1e-12);
        assertEquals(duplicated.correct(), weighted.correct());
        assertEquals(rows, weighted.weight());
        assertEquals(6, weighted.count());
        assertArrayEquals(duplicated.meanGradient(), weighted.meanGradient(), 1e-13);
    }

    @Test
    void oneSigmoidNeuronWithSquaredErrorWorkedByHand() {
        // x = 1.5, w = 0.8, b = −0.5, y = 1:
        // z = 0.8·1.5 − 0.5 = 0.7, a = σ(0.7), C = ½(a − y)², ∂C/∂z = (a − y) a (1 − a),
        // ∂C/∂w = ∂C/∂z · x, ∂C/∂b = ∂C/∂z.
        Network network = Network.of(new int[] {1, 1}, Activation.SIGMOID, Activation.SIGMOID, Loss.SQUARED_ERROR);
        double[] params = {0.8, -0.5};
        Backprop engine = new Backprop(network);
        Workspace ws = new Workspace(network, 1);
        GradientSum sum = new GradientSum(2);
        engine.accumulate(params, new Block(1, new double[] {1.5}, new double[] {1.0}), ws, sum);

        assertEquals(0.7000000000000002, ws.outputZ()[0], 1e-15);
        assertEquals(0.6681877721681662, ws.activations(0)[0], 1e-15);
        assertEquals(0.055049677269362406, sum.loss(), 1e-15);
        assertEquals(-0.1103505636395754, sum.gradient()[0], 1e-15);
        assertEquals(-0.07356704242638361, sum.gradient()[1], 1e-15);
        assertEquals(1.0, sum.correct());
    }

    @Test
    void blocksAddUpToOneBatch() {
        Network network = Network.parse("tanh(7)|relu(5)|softmax(4)", 3, Loss.CATEGORICAL_CROSS_ENTROPY);
        double[] params = Initializer.initialize(network, 3);
        Block all = TestData.block(network, 10, 5);
        Backprop engine = new Backprop(network);
        GradientSum whole = new GradientSum(params.length);
        engine.accumulate(params, all, new Workspace(network, 10), whole);

        GradientSum parts = new GradientSum(params.length);
        Workspace ws = new Workspace(network, 4);
        int[] sizes = {4, 1, 3, 2};
        int start = 0;
        for (int rows : sizes) {
            double[] x = java.util.Arrays.copyOfRange(all.features(), start * 3, (start + rows) * 3);
            double[] y = java.util.Arrays.copyOfRange(all.targets(), start * 4, (start + rows) * 4);
            GradientSum part = new GradientSum(params.length);
            engine.accumulate(params, new Block(rows, x, y), ws, part);
            parts.merge(part);
            start += rows;
        }
        assertEquals(whole.count(), parts.count());
        assertEquals(whole.correct(), parts.correct());
        assertEquals(whole.loss(), parts.loss(), 1e-12);
        assertArrayEquals(whole.gradient(), parts.gradient(), 1e-12);
    }

    @Test
    void predictionsMatchTheForwardPassOfTraining() {
        Network network = Network.parse("sigmoid(5)|softmax(3)", 2, Loss.CATEGORICAL_CROSS_ENTROPY);
        double[] params = Initializer.initialize(network, 1);
        double[] x = TestData.features(4, 2, 9);
        double[] out = new Model(network, params).predict(x, 4);
        for (int r = 0; r < 4; r++) {
            double total = out[3 * r] + out[3 * r + 1] + out[3 * r + 2];
            assertEquals(1.0, total, 1e-12, "softmax rows sum to one");
        }
        // Row by row gives the same numbers as the batch.
        for (int r = 0; r < 4; r++) {
            double[] one = new Model(network, params).predict(java.util.Arrays.copyOfRange(x, 2 * r, 2 * r + 2), 1);
            assertArrayEquals(java.util.Arrays.copyOfRange(out, 3 * r, 3 * r + 3), one, 1e-14);
        }
    }

    @Test
    void predictionGivesTheOutputLayersPreActivations() {
        Network network = Network.parse("tanh(5)|softmax(3)", 2, Loss.CATEGORICAL_CROSS_ENTROPY);
        double[] params = Initializer.initialize(network, 2);
        double[] x = TestData.features(4, 2, 5);
        double[] raw = new double[12];
        double[] out = new double[12];
        new Backprop(network).predict(params, x, 4, new Workspace(network, 4), raw, out);
        assertArrayEquals(new Model(network, params).predict(x, 4), out);
        for (int r = 0; r < 4; r++) {
            double[] e = new double[3];
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                e[k] = Math.exp(raw[3 * r + k]);
                sum += e[k];
            }
            for (int k = 0; k < 3; k++) {
                assertEquals(out[3 * r + k], e[k] / sum, 1e-14, "softmax of the logits, row " + r);
            }
        }
    }
}
