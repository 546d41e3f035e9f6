package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MomentumTest {
    private static final double TOLERANCE = 1e-12;
    private static final double[] G1 = {1.0, -2.0};
    private static final double[] G2 = {0.5, 1.0};

    @Test
    void plainMomentumStepsAlongTheVelocity() {
        Momentum momentum = new Momentum(0.9, false);
        double[] w = {1.0, -2.0};

        // v = 0.9·0 + g1 = (1, −2); W − 0.1 v = (1 − 0.1, −2 + 0.2)
        momentum.step(w, G1, 0.1);
        assertArrayEquals(new double[] {0.9, -1.8}, w, TOLERANCE);

        // v = 0.9·(1, −2) + (0.5, 1) = (1.4, −0.8); W − 0.1 v = (0.9 − 0.14, −1.8 + 0.08)
        momentum.step(w, G2, 0.1);
        assertArrayEquals(new double[] {0.76, -1.72}, w, TOLERANCE);
    }

    @Test
    void nesterovStepsAlongTheGradientPlusTheNextVelocity() {
        Momentum nesterov = new Momentum(0.9, true);
        double[] w = {1.0, -2.0};

        // v = (1, −2); g + μ v = (1 + 0.9, −2 − 1.8) = (1.9, −3.8); W − 0.1·(1.9, −3.8)
        nesterov.step(w, G1, 0.1);
        assertArrayEquals(new double[] {0.81, -1.62}, w, TOLERANCE);

        // v = (1.4, −0.8); g + μ v = (0.5 + 1.26, 1 − 0.72) = (1.76, 0.28); (0.81 − 0.176, −1.62 − 0.028)
        nesterov.step(w, G2, 0.1);
        assertArrayEquals(new double[] {0.634, -1.648}, w, TOLERANCE);
    }

    @Test
    void nesterovLooksAheadWherePlainMomentumDoesNot() {
        double[] plain = {0.0};
        double[] nesterov = {0.0};
        Momentum plainRule = new Momentum(0.5, false);
        Momentum nesterovRule = new Momentum(0.5, true);

        // First step, v = g = 1: plain moves η v = 1, Nesterov η (g + μ v) = 1.5, i.e. (1 + μ) times as far.
        plainRule.step(plain, new double[] {1.0}, 1.0);
        nesterovRule.step(nesterov, new double[] {1.0}, 1.0);
        assertArrayEquals(new double[] {-1.0}, plain, TOLERANCE);
        assertArrayEquals(new double[] {-1.5}, nesterov, TOLERANCE);

        // The gradient reverses to −2: v = 0.5·1 − 2 = −1.5 for both. Plain moves by η v = −1.5;
        // Nesterov by η (g + μ v) = −2 − 0.75 = −2.75, reacting to the new gradient more strongly.
        plainRule.step(plain, new double[] {-2.0}, 1.0);
        nesterovRule.step(nesterov, new double[] {-2.0}, 1.0);
        assertArrayEquals(new double[] {0.5}, plain, TOLERANCE);
        assertArrayEquals(new double[] {1.25}, nesterov, TOLERANCE);
    }

    @Test
    void withoutMomentumBothAreGradientDescent() {
        for (boolean nesterov : new boolean[] {false, true}) {
            Momentum rule = new Momentum(0.0, nesterov);
            double[] w = {1.0, -2.0};
            rule.step(w, G1, 0.1);
            rule.step(w, G2, 0.1);
            // W − 0.1 (g1 + g2) = (1 − 0.15, −2 + 0.1)
            assertArrayEquals(new double[] {0.85, -1.9}, w, TOLERANCE);
        }
    }

    @Test
    void rejectsMomentumOutsideZeroToOne() {
        assertEquals("momentum must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Momentum(1.0, false)).getMessage());
        assertEquals("momentum must be in [0, 1), got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new Momentum(-0.1, true)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Momentum(Double.NaN, false));
    }

    @Test
    void belongsToOneParameterVector() {
        Momentum momentum = new Momentum(0.9, false);
        momentum.step(new double[2], new double[2], 0.1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> momentum.step(new double[3], new double[3], 0.1));
        assertEquals("this optimizer was started on 2 parameters, not 3; use one optimizer per training run",
                e.getMessage());
    }

    @Test
    void describesItself() {
        assertEquals("momentum(momentum=0.9)", new Momentum(0.9, false).describe());
        assertEquals("nesterov(momentum=0.95)", new Momentum(0.95, true).describe());
    }
}
