package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DivergenceGuardTest {
    private static final double[] FINITE = {0.5, -2};

    @Test
    void aLossAThousandTimesTheFirstStepsEndsTraining() {
        DivergenceGuard guard = new DivergenceGuard(1e6);
        guard.check(1, 0, 3, 2.5, FINITE, FINITE);
        guard.check(1, 1, 3, 2499.0, FINITE, FINITE); // just below 1000 × 2.5
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> guard.check(1, 2, 3, 4.3e220, FINITE, FINITE));
        assertEquals("training diverged at epoch 1, step 3 of 3: the loss 4.30e+220 is above 2500.0 (1000 × the "
                + "first step's loss); the last finite loss was 2499.000000 at epoch 1, step 2 of 3. Nothing was "
                + "saved: try a smaller learning rate than 1.00e+06, --clip-norm or --standardize", e.getMessage());
    }

    @Test
    void theBoundIsAtLeastAThousandWhenTheFirstLossIsTiny() {
        DivergenceGuard guard = new DivergenceGuard(0.1);
        guard.check(1, 0, 1, 1e-6, FINITE, FINITE);
        assertDoesNotThrow(() -> guard.check(2, 0, 1, 999.0, FINITE, FINITE));
        assertThrows(DivergenceException.class, () -> guard.check(3, 0, 1, 1001.0, FINITE, FINITE));
    }

    @Test
    void nonFiniteLossGradientOrWeightsEndTraining() {
        String loss = assertThrows(DivergenceException.class,
                () -> new DivergenceGuard(1).check(1, 0, 1, Double.NaN, FINITE, FINITE)).getMessage();
        assertTrue(loss.startsWith("training diverged at epoch 1: the loss is NaN (no step had a finite loss)"), loss);
        DivergenceGuard guard = new DivergenceGuard(1);
        guard.check(1, 0, 1, 1.0, FINITE, FINITE);
        assertTrue(assertThrows(DivergenceException.class, () -> guard.check(2, 0, 1, 1.0,
                new double[] {Double.POSITIVE_INFINITY}, FINITE)).getMessage().contains("the gradient is not finite"));
        assertTrue(assertThrows(DivergenceException.class, () -> guard.check(2, 0, 1, 1.0, FINITE,
                new double[] {0, Double.NaN})).getMessage().contains("a weight is not finite after the update"));
        assertTrue(assertThrows(DivergenceException.class, () -> guard.checkFinal(Double.NaN)).getMessage()
                .startsWith("training diverged at the final evaluation"));
    }
}
