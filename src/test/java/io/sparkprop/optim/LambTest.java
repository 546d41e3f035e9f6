package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.optim.LearningRateSchedule.Constant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LambTest {
    /**
     * 2 → 3 → 2: W₁ (6 values) at 0..5, b₁ at 6..8, W₂ (6) at 9..14, b₂ at 15, 16 — the layout
     * the reference below assumes, written out rather than taken from {@link Network}.
     */
    private static final Network NETWORK = Network.parse("tanh(3)|softmax(2)", 2, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final int[] TENSOR_SIZES = {6, 3, 6, 2};
    private static final boolean[] IS_WEIGHT_MATRIX = {true, false, true, false};

    /**
     * LAMB written out the long way, one tensor at a time with arrays of its own, from the paper's
     * Algorithm 2 (with bias correction, φ = identity, ratio 1 for a zero norm), plus the L2
     * penalty's λW on the weight matrices and the warm-up's rate as UpdateRule documents them.
     */
    private static final class ReferenceLamb {
        final double beta1 = 0.9;
        final double beta2 = 0.999;
        final double epsilon = 1e-8;
        final double[][] w;
        final double[][] m;
        final double[][] v;
        int t;

        ReferenceLamb(double[] flat) {
            w = split(flat);
            m = split(new double[flat.length]);
            v = split(new double[flat.length]);
        }

        void step(double[] flatGradient, double rate, double weightDecay) {
            t++;
            double[][] g = split(flatGradient);
            for (int k = 0; k < w.length; k++) {
                int n = w[k].length;
                double[] r = new double[n];
                for (int i = 0; i < n; i++) {
                    double gi = g[k][i] + (IS_WEIGHT_MATRIX[k] ? weightDecay * w[k][i] : 0.0);
                    m[k][i] = beta1 * m[k][i] + (1 - beta1) * gi;
                    v[k][i] = beta2 * v[k][i] + (1 - beta2) * gi * gi;
                    double mHat = m[k][i] / (1 - Math.pow(beta1, t));
                    double vHat = v[k][i] / (1 - Math.pow(beta2, t));
                    r[i] = mHat / (Math.sqrt(vHat) + epsilon);
                }
                double wNorm = norm(w[k]);
                double rNorm = norm(r);
                double trust = wNorm == 0 || rNorm == 0 ? 1 : wNorm / rNorm;
                for (int i = 0; i < n; i++) {
                    w[k][i] = w[k][i] - rate * trust * r[i];
                }
            }
        }

        double[] flat() {
            double[] flat = new double[NETWORK.parameterCount()];
            int at = 0;
            for (double[] tensor : w) {
                System.arraycopy(tensor, 0, flat, at, tensor.length);
                at += tensor.length;
            }
            return flat;
        }

        private static double[][] split(double[] flat) {
            double[][] tensors = new double[TENSOR_SIZES.length][];
            int at = 0;
            for (int k = 0; k < TENSOR_SIZES.length; k++) {
                tensors[k] = Arrays.copyOfRange(flat, at, at + TENSOR_SIZES[k]);
                at += TENSOR_SIZES[k];
            }
            return tensors;
        }

        private static double norm(double[] x) {
            double sum = 0;
            for (double xi : x) {
                sum += xi * xi;
            }
            return Math.sqrt(sum);
        }
    }

    @Test
    void theNetworkHasTheLayoutTheReferenceAssumes() {
        assertEquals(17, NETWORK.parameterCount());
        Tensors tensors = Tensors.of(NETWORK);
        assertEquals(TENSOR_SIZES.length, tensors.count());
        for (int k = 0; k < TENSOR_SIZES.length; k++) {
            assertEquals(TENSOR_SIZES[k], tensors.end(k) - tensors.start(k), "tensor " + k);
        }
    }

    @Test
    void stepsAsTheReferenceDoesOverSeveralSteps() {
        assertMatchesReference(0.0, 0.0, 1);
    }

    /** Through the whole update: L2 decay on the weight matrices, and a warm-up over 4 of the 8 steps. */
    @Test
    void stepsAsTheReferenceDoesWithWeightDecayAndAWarmUp() {
        assertMatchesReference(0.01, 1.0, 4);
    }

    private static void assertMatchesReference(double weightDecay, double warmupEpochs, int stepsPerEpoch) {
        double learningRate = 0.05;
        UpdateRule rule = new UpdateRule(new Lamb(), new Constant(), weightDecay, 0, warmupEpochs);
        UpdateState lamb = UpdateState.create(rule, NETWORK, learningRate, 2, stepsPerEpoch);
        double[] params = new Random(3).doubles(NETWORK.parameterCount(), -1, 1).toArray();
        ReferenceLamb reference = new ReferenceLamb(params);
        for (int step = 0; step < 8; step++) {
            double[] gradient = new Random(50 + step).doubles(params.length, -2, 2).toArray();
            if (step == 2) {
                Arrays.fill(gradient, 15, 17, 0.0); // b₂ sees a zero gradient once, not a zero r
            }
            double epoch = (double) step / stepsPerEpoch;
            double expectedRate = warmupEpochs == 0 ? learningRate
                    : learningRate * Math.min(1.0, (step + 1) / (warmupEpochs * stepsPerEpoch));
            reference.step(gradient.clone(), expectedRate, weightDecay);
            assertEquals(expectedRate, lamb.step(params, gradient, epoch), 1e-15, "rate of step " + (step + 1));
            assertArrayEquals(reference.flat(), params, 1e-14, "after step " + (step + 1));
        }
    }

    /** The step of each tensor is η times its norm: the trust ratio's purpose, each tensor on its own. */
    @Test
    void movesEachTensorByTheLearningRateTimesItsNorm() {
        Network network = Network.of(new int[] {2, 2}, Activation.IDENTITY, Activation.IDENTITY); // W 4, b 2
        double[] w = {3.0, 0.0, 0.0, 4.0, 0.1, -0.1};
        double[] before = w.clone();
        double[] gradient = {1.0, -1e-3, 7.0, 0.2, -5.0, 2.0};
        new Lamb().step(w, gradient, 0.01, 1, new double[2][6], Tensors.of(network));
        assertEquals(0.01 * 5.0, distance(before, w, 0, 4), 1e-15);               // ‖W‖ = 5
        assertEquals(0.01 * Math.sqrt(0.02), distance(before, w, 4, 6), 1e-15);   // ‖b‖ = 0.1414
    }

    @Test
    void zeroWeightsTakeAPlainAdamStep() {
        Network network = Network.of(new int[] {2, 2}, Activation.IDENTITY, Activation.IDENTITY);
        double[] w = {3.0, 0.0, 0.0, 4.0, 0.0, 0.0};                 // all-zero biases, as initialised
        double[] gradient = {1.0, 1.0, 1.0, 1.0, 0.5, -2.0};
        new Lamb().step(w, gradient, 0.1, 1, new double[2][6], Tensors.of(network));
        // ratio 1: b − η m̂ / (√v̂ + ε) with m̂ = g, √v̂ = |g| at the first step
        assertEquals(-0.1 * 0.5 / (0.5 + 1e-8), w[4], 1e-15);
        assertEquals(0.1 * 2.0 / (2.0 + 1e-8), w[5], 1e-15);
    }

    @Test
    void aZeroDirectionLeavesTheTensorAsItIs() {
        Network network = Network.of(new int[] {2, 2}, Activation.IDENTITY, Activation.IDENTITY);
        double[] w = {3.0, 0.0, 0.0, 4.0, 0.0, 0.0};
        double[][] state = new double[2][6];
        // zero gradients so far: m = v = 0, r = 0 beside non-zero weights (W) and beside zero ones (b)
        new Lamb().step(w, new double[6], 0.1, 1, state, Tensors.of(network));
        assertArrayEquals(new double[] {3.0, 0.0, 0.0, 4.0, 0.0, 0.0}, w, 0.0);
        assertArrayEquals(new double[6], state[0], 0.0);
        assertArrayEquals(new double[6], state[1], 0.0);
    }

    @Test
    void withoutALayoutTheWholeVectorIsOneTensor() {
        double[] w = {3.0, 0.0, 0.0, 4.0, 0.1, -0.1};
        double[] before = w.clone();
        new Lamb().step(w, new double[] {1.0, -1e-3, 7.0, 0.2, -5.0, 2.0}, 0.01, 1, new double[2][6]);
        assertEquals(0.01 * Math.sqrt(25.02), distance(before, w, 0, 6), 1e-15);
    }

    @Test
    void rejectsATensorLayoutOfAnotherLength() {
        assertEquals("the tensors cover 5 entries, the parameters 6", assertThrows(IllegalArgumentException.class,
                () -> new Lamb().step(new double[6], new double[6], 0.1, 1, new double[2][6], Tensors.whole(5)))
                .getMessage());
        assertEquals("the gradient has 5 entries, the parameters 6", assertThrows(IllegalArgumentException.class,
                () -> new Lamb().step(new double[6], new double[5], 0.1, 1, new double[2][6])).getMessage());
    }

    @Test
    void rejectsBetasOutsideZeroToOneAndANonPositiveEpsilon() {
        assertEquals("beta1 must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Lamb(1.0, 0.999, 1e-6)).getMessage());
        assertEquals("beta2 must be in [0, 1), got -0.5",
                assertThrows(IllegalArgumentException.class, () -> new Lamb(0.9, -0.5, 1e-6)).getMessage());
        assertEquals("epsilon must be a positive number, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new Lamb(0.9, 0.999, 0.0)).getMessage());
    }

    @Test
    void describesItselfWithAdamsDefaults() {
        assertEquals(new Lamb(0.9, 0.999, 1e-8), new Lamb());
        assertEquals("lamb(beta1=0.9, beta2=0.999, epsilon=1E-8)", new Lamb().describe());
        assertEquals(List.of("firstMoment", "secondMoment"), new Lamb().stateNames());
        assertEquals(Optimizer.Kind.LAMB, Optimizer.Kind.parse("LAMB"));
    }

    private static double distance(double[] a, double[] b, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }
}
