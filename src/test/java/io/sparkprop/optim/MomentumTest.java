package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MomentumTest {
    private static final double TOLERANCE = 1e-12;
    private static final double[] G1 = {1.0, -2.0};
    private static final double[] G2 = {0.5, 1.0};

    @Test
    void stepsAlongTheVelocity() {
        Momentum momentum = new Momentum(0.9);
        double[] w = {1.0, -2.0};
        double[][] state = new double[1][2];

        // v = 0.9·0 + g1 = (1, −2); W − 0.1 v = (1 − 0.1, −2 + 0.2)
        momentum.step(w, G1, 0.1, 1, state);
        assertArrayEquals(new double[] {0.9, -1.8}, w, TOLERANCE);
        assertArrayEquals(new double[] {1.0, -2.0}, state[0], TOLERANCE);

        // v = 0.9·(1, −2) + (0.5, 1) = (1.4, −0.8); W − 0.1 v = (0.9 − 0.14, −1.8 + 0.08)
        momentum.step(w, G2, 0.1, 2, state);
        assertArrayEquals(new double[] {0.76, -1.72}, w, TOLERANCE);
        assertArrayEquals(new double[] {1.4, -0.8}, state[0], TOLERANCE);
    }

    @Test
    void withoutMomentumIsGradientDescent() {
        Momentum rule = new Momentum(0.0);
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
                assertThrows(IllegalArgumentException.class, () -> new Momentum(1.0)).getMessage());
        assertEquals("momentum must be in [0, 1), got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new Momentum(-0.1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Momentum(Double.NaN));
    }

    @Test
    void rejectsAGradientOfAnotherLength() {
        assertEquals("the gradient has 3 entries, the parameters 2", assertThrows(IllegalArgumentException.class,
                () -> new Momentum().step(new double[2], new double[3], 0.1, 1, new double[1][2])).getMessage());
    }

    @Test
    void describesItself() {
        assertEquals("momentum(momentum=0.9)", new Momentum().describe());
        assertEquals("momentum(momentum=0.5)", new Momentum(0.5).describe());
        assertEquals(List.of("velocity"), new Momentum().stateNames());
    }
}
