package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.optim.LearningRateSchedule.Constant;
import io.sparkprop.optim.LearningRateSchedule.Cosine;
import io.sparkprop.optim.LearningRateSchedule.Exponential;
import io.sparkprop.optim.LearningRateSchedule.StepDecay;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UpdateStateTest {
    private static final double TOLERANCE = 1e-12;

    /** One input, one output unit: parameters {w, b}. */
    private static final Network SINGLE = Network.of(new int[] {1, 1}, Activation.SIGMOID, Activation.SIGMOID,
            Loss.BINARY_CROSS_ENTROPY);

    /**
     * 2 → 2 → 1: layer 0's weights at 0..3 and biases at 4, 5; layer 1's weights at 6, 7 and bias
     * at 8.
     */
    private static final Network TWO_LAYERS = Network.of(new int[] {2, 2, 1}, Activation.SIGMOID,
            Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY);

    private static UpdateState gd(Network network, double learningRate, double weightDecay, double clipNorm) {
        return UpdateState.create(new UpdateRule(new GradientDescent(), new Constant(), weightDecay, clipNorm), network,
                learningRate, 10);
    }

    @Test
    void clipsAGradientLongerThanTheThreshold() {
        UpdateState rule = gd(SINGLE, 1.0, 0, 1.0);
        double[] w = {0.0, 0.0};
        double[] g = {3.0, 4.0};
        rule.step(w, g, 0);
        // ‖(3, 4)‖ = 5 > 1: g · 1/5 = (0.6, 0.8), in place; W − 1·g
        assertArrayEquals(new double[] {0.6, 0.8}, g, TOLERANCE);
        assertArrayEquals(new double[] {-0.6, -0.8}, w, TOLERANCE);
        assertEquals(5.0, rule.lastGradientNorm(), TOLERANCE);
    }

    @Test
    void leavesAGradientWithinTheThreshold() {
        UpdateState rule = gd(SINGLE, 1.0, 0, 10.0);
        double[] w = {0.0, 0.0};
        double[] g = {3.0, 4.0};
        rule.step(w, g, 0);
        // ‖(3, 4)‖ = 5 ≤ 10: unchanged
        assertArrayEquals(new double[] {3.0, 4.0}, g, 0.0);
        assertArrayEquals(new double[] {-3.0, -4.0}, w, TOLERANCE);
        assertEquals(5.0, rule.lastGradientNorm(), TOLERANCE);
    }

    @Test
    void weightDecayShrinksWeightsButNotBiases() {
        UpdateState rule = gd(TWO_LAYERS, 1.0, 0.1, 0);
        double[] w = new double[9];
        Arrays.fill(w, 1.0);
        double[] g = new double[9];
        rule.step(w, g, 0);
        // g = λ W = 0.1 on weights, 0 on biases; W − 1·g
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0, 0, 0.1, 0.1, 0}, g, TOLERANCE);
        assertArrayEquals(new double[] {0.9, 0.9, 0.9, 0.9, 1, 1, 0.9, 0.9, 1}, w, TOLERANCE);
    }

    @Test
    void clipsTheDataGradientThenAddsDecayThenSteps() {
        UpdateState rule = gd(SINGLE, 0.1, 0.5, 1.0);
        double[] w = {2.0, 3.0};
        double[] g = {3.0, 4.0};
        rule.step(w, g, 0);
        // clip: (3, 4)/5 = (0.6, 0.8); decay on the weight only: (0.6 + 0.5·2, 0.8) = (1.6, 0.8);
        // step: (2 − 0.1·1.6, 3 − 0.1·0.8) = (1.84, 2.92).
        // (Decay first would clip (4, 4) to (0.7071, 0.7071) and give (1.9293, 2.9293).)
        assertArrayEquals(new double[] {1.6, 0.8}, g, TOLERANCE);
        assertArrayEquals(new double[] {1.84, 2.92}, w, TOLERANCE);
        assertEquals(5.0, rule.lastGradientNorm(), TOLERANCE);
    }

    @Test
    void stepsWithTheScheduledRateAndReturnsIt() {
        UpdateState rule = UpdateState.create(UpdateRule.defaults().withSchedule(new Exponential(0.5)), SINGLE, 1.0, 10);
        double[] w = {0.0, 0.0};
        // after 2 epochs: 1·0.5² = 0.25
        assertEquals(0.25, rule.step(w, new double[] {1.0, -2.0}, 2.0), TOLERANCE);
        assertArrayEquals(new double[] {-0.25, 0.5}, w, TOLERANCE);
    }

    @Test
    void hasNoGradientNormBeforeTheFirstStep() {
        assertTrue(Double.isNaN(gd(SINGLE, 0.1, 0, 0).lastGradientNorm()));
    }

    @Test
    void rejectsVectorsOfAnotherNetwork() {
        UpdateState rule = gd(TWO_LAYERS, 0.1, 0, 0);
        assertEquals("the network has 9 parameters, got 2 parameters and a gradient of 2",
                assertThrows(IllegalArgumentException.class, () -> rule.step(new double[2], new double[2], 0))
                        .getMessage());
    }

    @Test
    void checksTheLearningRateAgainstTheRule() {
        UpdateRule cosine = UpdateRule.defaults().withSchedule(new Cosine(0.5));
        assertEquals("minimum learning rate must be between 0 and the learning rate 0.1, got 0.5",
                assertThrows(IllegalArgumentException.class, () -> UpdateState.create(cosine, SINGLE, 0.1, 10))
                        .getMessage());
        assertEquals("the number of epochs must be 0 or more, got -1", assertThrows(IllegalArgumentException.class,
                () -> UpdateState.create(UpdateRule.defaults(), SINGLE, 0.1, -1)).getMessage());
    }

    /**
     * The life cycle a checkpoint relies on, for every optimizer and schedule, with and without
     * weight decay and clipping, and with a warm-up: k steps, a snapshot written and read back
     * (Java serialization standing in for the checkpoint file), then n more steps from a fresh
     * state restored from it give the same bits as n more steps without stopping. The snapshot
     * falls inside the warm-up of 2 epochs (6 steps), so the resumed steps start mid-ramp.
     */
    @Test
    void restoringASnapshotContinuesAsIfTrainingHadNotStopped() throws Exception {
        Network network = Network.parse("tanh(5)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
        List<Optimizer> optimizers = List.of(new GradientDescent(), new Momentum(0.9), new Nesterov(0.8), new Adam(),
                new Lamb());
        List<LearningRateSchedule> schedules = List.of(new Constant(), new StepDecay(0.5, 1), new Exponential(0.9),
                new Cosine(0.001));
        int checked = 0;
        for (Optimizer optimizer : optimizers) {
            for (LearningRateSchedule schedule : schedules) {
                for (double[] decayClipWarmup : new double[][] {{0, 0, 0}, {0.01, 0.5, 0}, {0, 0, 2}}) {
                    UpdateRule rule = new UpdateRule(optimizer, schedule, decayClipWarmup[0], decayClipWarmup[1],
                            decayClipWarmup[2]);
                    UpdateState straight = UpdateState.create(rule, network, 0.05, 4, 3);
                    double[] params = new Random(1).doubles(network.parameterCount(), -1, 1).toArray();
                    run(straight, params, 0, 5);
                    UpdateState.Snapshot saved = roundTrip(straight.snapshot());
                    double[] resumed = params.clone();
                    run(straight, params, 5, 12);

                    UpdateState restored = UpdateState.create(rule, network, 0.05, 4, 3);
                    restored.restore(saved);
                    assertEquals(5, restored.steps());
                    run(restored, resumed, 5, 12);
                    String what = rule.describe(0.05, 4);
                    assertArrayEquals(params, resumed, what);   // to the bit
                    assertEquals(straight.snapshot(), restored.snapshot(), what);
                    assertEquals(12, restored.steps());
                    checked++;
                }
            }
        }
        assertEquals(60, checked);
    }

    /** The warm-up's rate needs the length of a step: 3 steps per epoch over 1 epoch, η/3, 2η/3, η. */
    @Test
    void warmsUpOverTheStepsOfTheGivenEpochLength() {
        UpdateState state = UpdateState.create(UpdateRule.defaults().withWarmupEpochs(1), SINGLE, 0.3, 10, 3);
        double[] w = {0.0, 0.0};
        assertEquals(0.1, state.step(w, new double[] {1.0, 1.0}, 0.0), TOLERANCE);
        assertEquals(0.2, state.step(w, new double[] {1.0, 1.0}, 1.0 / 3), TOLERANCE);
        assertEquals(0.3, state.step(w, new double[] {1.0, 1.0}, 2.0 / 3), TOLERANCE);
        assertEquals(0.3, state.step(w, new double[] {1.0, 1.0}, 1.0), TOLERANCE);
        assertArrayEquals(new double[] {-0.9, -0.9}, w, TOLERANCE);
        assertEquals("the steps per epoch must be 1 or more, got 0", assertThrows(IllegalArgumentException.class,
                () -> UpdateState.create(UpdateRule.defaults(), SINGLE, 0.1, 10, 0)).getMessage());
    }

    /** LAMB gets the network's tensors: W and b of a one-unit layer each move by η times their own norm. */
    @Test
    void passesTheNetworksTensorsToLamb() {
        UpdateState lamb = UpdateState.create(UpdateRule.defaults().withOptimizer(new Lamb()), SINGLE, 0.1, 10);
        double[] w = {2.0, -0.5};
        lamb.step(w, new double[] {0.3, 0.7}, 0);
        // one ratio for both would move each by 0.146
        assertArrayEquals(new double[] {2.0 - 0.1 * 2.0, -0.5 - 0.1 * 0.5}, w, 1e-15);
    }

    /** Steps {@code from} (inclusive) to {@code to} of a run of 3 steps per epoch, each with its own gradient. */
    private static void run(UpdateState state, double[] params, int from, int to) {
        for (int step = from; step < to; step++) {
            double[] gradient = new Random(100 + step).doubles(params.length, -2, 2).toArray();
            state.step(params, gradient, step / 3.0);
        }
    }

    private static UpdateState.Snapshot roundTrip(UpdateState.Snapshot snapshot) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(snapshot);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (UpdateState.Snapshot) in.readObject();
        }
    }

    @Test
    void aSnapshotIsAnIndependentCopyOfTheNamedState() {
        UpdateState adam = UpdateState.create(UpdateRule.defaults().withOptimizer(new Adam()), SINGLE, 0.1, 10);
        adam.step(new double[] {1.0, 2.0}, new double[] {0.5, -0.5}, 0);
        UpdateState.Snapshot snapshot = adam.snapshot();
        assertEquals(1, snapshot.steps());
        assertEquals(List.of("firstMoment", "secondMoment"), List.copyOf(snapshot.vectors().keySet()));
        double[] m = snapshot.vectors().get("firstMoment");
        assertArrayEquals(new double[] {(1 - 0.9) * 0.5, (1 - 0.9) * -0.5}, m, 0.0);

        m[0] = 42;                                                     // a copy: the snapshot stays as it was
        adam.step(new double[] {1.0, 2.0}, new double[] {0.5, -0.5}, 0); // and later steps do not reach it
        assertArrayEquals(new double[] {(1 - 0.9) * 0.5, (1 - 0.9) * -0.5}, snapshot.vectors().get("firstMoment"), 0.0);
        assertEquals(1, snapshot.steps());
        assertEquals("Snapshot[steps=1, firstMoment[2], secondMoment[2]]", snapshot.toString());
        assertEquals(new UpdateState.Snapshot(0, Map.of()), gd(SINGLE, 0.1, 0, 0).snapshot());
    }

    @Test
    void restoresOnlyTheStateOfTheSameOptimizerAndNetwork() {
        UpdateState adam = UpdateState.create(UpdateRule.defaults().withOptimizer(new Adam()), SINGLE, 0.1, 10);
        UpdateState momentum = UpdateState.create(UpdateRule.defaults().withOptimizer(new Momentum()), SINGLE, 0.1,
                10);
        assertEquals("the snapshot holds the state [velocity], adam keeps [firstMoment, secondMoment]",
                assertThrows(IllegalArgumentException.class, () -> adam.restore(momentum.snapshot())).getMessage());
        UpdateState.Snapshot wider = new UpdateState.Snapshot(3, Map.of("velocity", new double[9]));
        assertEquals("the snapshot's velocity has 9 values, the network 2 parameters",
                assertThrows(IllegalArgumentException.class, () -> momentum.restore(wider)).getMessage());
        assertEquals("the step count must be 0 or more, got -1", assertThrows(IllegalArgumentException.class,
                () -> new UpdateState.Snapshot(-1, Map.of())).getMessage());
    }
}
