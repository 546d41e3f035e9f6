package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.optim.LearningRateSchedule.Constant;
import io.sparkprop.optim.LearningRateSchedule.Exponential;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UpdateRuleTest {
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

    private static UpdateRule gd(Network network, double learningRate, double weightDecay, double clipNorm) {
        return new UpdateRule(network, new GradientDescent(), new Constant(learningRate), weightDecay, clipNorm);
    }

    @Test
    void clipsAGradientLongerThanTheThreshold() {
        UpdateRule rule = gd(SINGLE, 1.0, 0, 1.0);
        double[] w = {0.0, 0.0};
        double[] g = {3.0, 4.0};
        rule.apply(w, g, 0);
        // ‖(3, 4)‖ = 5 > 1: g · 1/5 = (0.6, 0.8), in place; W − 1·g
        assertArrayEquals(new double[] {0.6, 0.8}, g, TOLERANCE);
        assertArrayEquals(new double[] {-0.6, -0.8}, w, TOLERANCE);
        assertEquals(5.0, rule.lastGradientNorm(), TOLERANCE);
    }

    @Test
    void leavesAGradientWithinTheThreshold() {
        UpdateRule rule = gd(SINGLE, 1.0, 0, 10.0);
        double[] w = {0.0, 0.0};
        double[] g = {3.0, 4.0};
        rule.apply(w, g, 0);
        // ‖(3, 4)‖ = 5 ≤ 10: unchanged
        assertArrayEquals(new double[] {3.0, 4.0}, g, 0.0);
        assertArrayEquals(new double[] {-3.0, -4.0}, w, TOLERANCE);
        assertEquals(5.0, rule.lastGradientNorm(), TOLERANCE);
    }

    @Test
    void weightDecayShrinksWeightsButNotBiases() {
        UpdateRule rule = gd(TWO_LAYERS, 1.0, 0.1, 0);
        double[] w = new double[9];
        Arrays.fill(w, 1.0);
        double[] g = new double[9];
        rule.apply(w, g, 0);
        // g = λ W = 0.1 on weights, 0 on biases; W − 1·g
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0, 0, 0.1, 0.1, 0}, g, TOLERANCE);
        assertArrayEquals(new double[] {0.9, 0.9, 0.9, 0.9, 1, 1, 0.9, 0.9, 1}, w, TOLERANCE);
    }

    @Test
    void clipsTheDataGradientThenAddsDecayThenSteps() {
        UpdateRule rule = gd(SINGLE, 0.1, 0.5, 1.0);
        double[] w = {2.0, 3.0};
        double[] g = {3.0, 4.0};
        rule.apply(w, g, 0);
        // clip: (3, 4)/5 = (0.6, 0.8); decay on the weight only: (0.6 + 0.5·2, 0.8) = (1.6, 0.8);
        // step: (2 − 0.1·1.6, 3 − 0.1·0.8) = (1.84, 2.92).
        // (Decay first would clip (4, 4) to (0.7071, 0.7071) and give (1.9293, 2.9293).)
        assertArrayEquals(new double[] {1.6, 0.8}, g, TOLERANCE);
        assertArrayEquals(new double[] {1.84, 2.92}, w, TOLERANCE);
        assertEquals(5.0, rule.lastGradientNorm(), TOLERANCE);
    }

    @Test
    void stepsWithTheScheduledRateAndReturnsIt() {
        UpdateRule rule = new UpdateRule(SINGLE, new GradientDescent(), new Exponential(1.0, 0.5), 0, 0);
        double[] w = {0.0, 0.0};
        // after 2 epochs: 1·0.5² = 0.25
        assertEquals(0.25, rule.apply(w, new double[] {1.0, -2.0}, 2.0), TOLERANCE);
        assertArrayEquals(new double[] {-0.25, 0.5}, w, TOLERANCE);
    }

    @Test
    void hasNoGradientNormBeforeTheFirstStep() {
        assertTrue(Double.isNaN(gd(SINGLE, 0.1, 0, 0).lastGradientNorm()));
    }

    @Test
    void rejectsVectorsOfAnotherNetworkAndNegativeSettings() {
        UpdateRule rule = gd(TWO_LAYERS, 0.1, 0, 0);
        assertEquals("the network has 9 parameters, got 2 parameters and a gradient of 2",
                assertThrows(IllegalArgumentException.class, () -> rule.apply(new double[2], new double[2], 0))
                        .getMessage());
        assertEquals("weight decay must be 0 (off) or a positive number, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> gd(SINGLE, 0.1, -0.1, 0)).getMessage());
        assertEquals("clip norm must be 0 (off) or a positive number, got NaN",
                assertThrows(IllegalArgumentException.class, () -> gd(SINGLE, 0.1, 0, Double.NaN)).getMessage());
    }

    @Test
    void describesTheWholeRule() {
        UpdateRule rule = new UpdateRule(SINGLE, new Adam(0.9, 0.999, 1e-8), new Constant(0.001), 1e-4, 5);
        assertEquals("adam(beta1=0.9, beta2=0.999, epsilon=1E-8), constant(lr=0.001), weight-decay=1E-4, clip-norm=5",
                rule.describe());
    }
}
