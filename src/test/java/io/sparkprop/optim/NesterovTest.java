package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NesterovTest {
    private static final double TOLERANCE = 1e-12;
    private static final double[] G1 = {1.0, -2.0};
    private static final double[] G2 = {0.5, 1.0};

    @Test
    void stepsAlongTheGradientPlusTheNextVelocity() {
        Nesterov nesterov = new Nesterov(0.9);
        double[] w = {1.0, -2.0};
        double[][] state = new double[1][2];

        // v = (1, −2); g + μ v = (1 + 0.9, −2 − 1.8) = (1.9, −3.8); W − 0.1·(1.9, −3.8)
        nesterov.step(w, G1, 0.1, 1, state);
        assertArrayEquals(new double[] {0.81, -1.62}, w, TOLERANCE);

        // v = (1.4, −0.8); g + μ v = (0.5 + 1.26, 1 − 0.72) = (1.76, 0.28); (0.81 − 0.176, −1.62 − 0.028)
        nesterov.step(w, G2, 0.1, 2, state);
        assertArrayEquals(new double[] {0.634, -1.648}, w, TOLERANCE);
        assertArrayEquals(new double[] {1.4, -0.8}, state[0], TOLERANCE);
    }

    @Test
    void looksAheadWherePlainMomentumDoesNot() {
        double[] plain = {0.0};
        double[] nesterov = {0.0};
        double[][] plainState = new double[1][1];
        double[][] nesterovState = new double[1][1];
        Momentum plainRule = new Momentum(0.5);
        Nesterov nesterovRule = new Nesterov(0.5);

        // First step, v = g = 1: plain moves η v = 1, Nesterov η (g + μ v) = 1.5, i.e. (1 + μ) times as far.
        plainRule.step(plain, new double[] {1.0}, 1.0, 1, plainState);
        nesterovRule.step(nesterov, new double[] {1.0}, 1.0, 1, nesterovState);
        assertArrayEquals(new double[] {-1.0}, plain, TOLERANCE);
        assertArrayEquals(new double[] {-1.5}, nesterov, TOLERANCE);

        // The gradient reverses to −2: v = 0.5·1 − 2 = −1.5 for both. Plain moves by η v = −1.5;
        // Nesterov by η (g + μ v) = −2 − 0.75 = −2.75, reacting to the new gradient more strongly.
        plainRule.step(plain, new double[] {-2.0}, 1.0, 2, plainState);
        nesterovRule.step(nesterov, new double[] {-2.0}, 1.0, 2, nesterovState);
        assertArrayEquals(new double[] {0.5}, plain, TOLERANCE);
        assertArrayEquals(new double[] {1.25}, nesterov, TOLERANCE);
    }

    @Test
    void withoutMomentumIsGradientDescent() {
        Nesterov rule = new Nesterov(0.0);
        double[] w = {1.0, -2.0};
        double[][] state = new double[1][2];
        rule.step(w, G1, 0.1, 1, state);
        rule.step(w, G2, 0.1, 2, state);
        // W − 0.1 (g1 + g2) = (1 − 0.15, −2 + 0.1)
        assertArrayEquals(new double[] {0.85, -1.9}, w, TOLERANCE);
    }

    @Test
    void rejectsMomentumOutsideZeroToOne() {
        assertEquals("momentum must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Nesterov(1.0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Nesterov(Double.NaN));
    }

    @Test
    void describesItself() {
        assertEquals("nesterov(momentum=0.95)", new Nesterov(0.95).describe());
        assertEquals(new Nesterov(0.9), new Nesterov());
        assertEquals(List.of("velocity"), new Nesterov().stateNames());
    }
}
