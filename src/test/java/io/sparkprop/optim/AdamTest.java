package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdamTest {
    private static final double[] G1 = {0.5, -2.0, 0.0};
    private static final double[] G2 = {1.0, -1.0, 2.0};

    @Test
    void firstStepIsTheLearningRateTimesTheSignOfTheGradient() {
        Adam adam = new Adam(0.9, 0.999, 1e-8);
        double[] w = {1.0, -2.0, 0.5};
        double[][] state = new double[2][3];

        // m = 0.1 g, v = 0.001 g²; m̂ = m / (1 − 0.9) = g, v̂ = v / (1 − 0.999) = g²,
        // so W − η g / (|g| + ε) = W − 0.1 sign(g), up to 0.1 ε / |g| ≤ 2e-9; a zero gradient gives 0 / ε = 0.
        adam.step(w, G1, 0.1, 1, state);
        assertArrayEquals(new double[] {0.9, -1.9, 0.5}, w, 1e-8);
        assertArrayEquals(new double[] {0.05, -0.2, 0}, state[0], 1e-15);     // m
        assertArrayEquals(new double[] {0.00025, 0.004, 0}, state[1], 1e-15); // v
    }

    @Test
    void firstStepIgnoresTheGradientsScale() {
        double[] w = {0.0, 0.0};
        new Adam(0.9, 0.999, 1e-8).step(w, new double[] {1e4, -1e-3}, 0.01, 1, new double[2][2]);
        // η sign(g), up to η ε / |g| = 1e-7 for the small gradient
        assertArrayEquals(new double[] {-0.01, 0.01}, w, 2e-7);
    }

    @Test
    void secondStepUsesBiasCorrectedMoments() {
        Adam adam = new Adam(0.9, 0.999, 1e-8);
        double[] w = {1.0, -2.0, 0.5};
        double[][] state = new double[2][3];
        adam.step(w, G1, 0.1, 1, state);
        // After step 1, exactly: W = (1 − 0.1·0.5/0.50000001, −2 + 0.1·2/2.00000001, 0.5)
        //                          = (0.900000002, −1.9000000005, 0.5)
        //                      m = (0.05, −0.2, 0), v = (0.00025, 0.004, 0)
        adam.step(w, G2, 0.1, 2, state);
        // t = 2: 1 − 0.9² = 0.19, 1 − 0.999² = 0.001999; g2 = (1, −1, 2)
        // [0] m = 0.045 + 0.1 = 0.145            m̂ = 0.763157894736842
        //     v = 0.00024975 + 0.001 = 0.00124975  v̂ = 0.625187593796898, √v̂ = 0.790688050875254
        //     step = 0.1·0.763157894736842 / (0.790688050875254 + 1e-8) = 0.0965182013614906
        //     W = 0.900000002 − 0.0965182013614906 = 0.8034818006385094
        // [1] m = −0.18 − 0.1 = −0.28              m̂ = −1.473684210526316
        //     v = 0.003996 + 0.001 = 0.004996       v̂ = 2.499249624812406, √v̂ = 1.580901522806668
        //     step = −0.0932179632914896;  W = −1.9000000005 + 0.0932179632914896 = −1.8067820372085104
        // [2] m = 0 + 0.2 = 0.2                     m̂ = 1.052631578947368
        //     v = 0 + 0.004 = 0.004                 v̂ = 2.001000500250125, √v̂ = 1.414567248401487
        //     step = 0.0744136818306456;  W = 0.5 − 0.0744136818306456 = 0.4255863181693544
        assertArrayEquals(new double[] {0.8034818006385094, -1.8067820372085104, 0.4255863181693544}, w, 1e-12);
    }

    @Test
    void rejectsBetasOutsideZeroToOneAndANonPositiveEpsilon() {
        assertEquals("beta1 must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(1.0, 0.999, 1e-8)).getMessage());
        assertEquals("beta2 must be in [0, 1), got -0.5",
                assertThrows(IllegalArgumentException.class, () -> new Adam(0.9, -0.5, 1e-8)).getMessage());
        assertEquals("epsilon must be a positive number, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(0.9, 0.999, 0.0)).getMessage());
    }

    @Test
    void describesItselfWithKingmaAndBasDefaults() {
        assertEquals(new Adam(0.9, 0.999, 1e-8), new Adam());
        assertEquals("adam(beta1=0.9, beta2=0.999, epsilon=1E-8)", new Adam().describe());
        assertEquals(List.of("firstMoment", "secondMoment"), new Adam().stateNames());
    }
}
