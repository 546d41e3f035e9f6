package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkprop.optim.LearningRateSchedule.Constant;
import io.sparkprop.optim.LearningRateSchedule.Cosine;
import io.sparkprop.optim.LearningRateSchedule.Exponential;
import io.sparkprop.optim.LearningRateSchedule.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LearningRateScheduleTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void constantNeverChanges() {
        Constant schedule = new Constant(0.1);
        assertEquals(0.1, schedule.rate(0), 0.0);
        assertEquals(0.1, schedule.rate(7.5), 0.0);
        assertEquals("constant(lr=0.1)", schedule.describe());
    }

    @Test
    void stepCutsTheRateEveryKEpochs() {
        Step schedule = new Step(1.0, 10, 0.5);
        assertEquals(1.0, schedule.rate(0), TOLERANCE);      // 0.5^floor(0 / 10) = 0.5^0
        assertEquals(1.0, schedule.rate(9.5), TOLERANCE);    // floor(0.95) = 0
        assertEquals(0.5, schedule.rate(10), TOLERANCE);     // floor(1) = 1
        assertEquals(0.25, schedule.rate(25), TOLERANCE);    // floor(2.5) = 2: 0.5²
        assertEquals("step(lr=1, every=10, factor=0.5)", schedule.describe());
    }

    @Test
    void exponentialDecaysByTheFactorPerEpoch() {
        Exponential schedule = new Exponential(2.0, 0.5);
        assertEquals(2.0, schedule.rate(0), TOLERANCE);
        assertEquals(1.0, schedule.rate(1), TOLERANCE);                  // 2·0.5
        assertEquals(0.25, schedule.rate(3), TOLERANCE);                 // 2·0.5³
        assertEquals(1.4142135623730951, schedule.rate(0.5), TOLERANCE); // 2·√0.5 = √2, between epochs
        assertEquals("exponential(lr=2, factor=0.5)", schedule.describe());
    }

    @Test
    void cosineAnnealsToTheMinimumAndStaysThere() {
        Cosine schedule = new Cosine(1.0, 0.2, 10);
        // 0.2 + ½·0.8·(1 + cos(π·epoch/10)) = 0.2 + 0.4·(1 + cos(π·epoch/10))
        assertEquals(1.0, schedule.rate(0), TOLERANCE);                 // cos 0 = 1: 0.2 + 0.8
        assertEquals(0.8828427124746190, schedule.rate(2.5), TOLERANCE); // cos(π/4) = 0.70710678: 0.2 + 0.4·1.70710678
        assertEquals(0.6, schedule.rate(5), TOLERANCE);                 // cos(π/2) = 0: 0.2 + 0.4
        assertEquals(0.2, schedule.rate(10), TOLERANCE);                // cos π = −1
        assertEquals(0.2, schedule.rate(15), TOLERANCE);                // min(15, 10) = 10
        assertEquals("cosine(lr=1, min=0.2, epochs=10)", schedule.describe());
    }

    @Test
    void cosineOverNoEpochsIsAlreadyAnnealed() {
        assertEquals(0.2, new Cosine(1.0, 0.2, 0).rate(0), 0.0);
    }

    @Test
    void rejectsArgumentsNamingTheOption() {
        assertRejected("learning rate must be a positive number, got 0.0", () -> new Constant(0.0));
        assertRejected("learning rate must be a positive number, got Infinity",
                () -> new Exponential(Double.POSITIVE_INFINITY, 0.5));
        assertRejected("learning-rate decay epochs must be a positive number, got 0.0", () -> new Step(1.0, 0, 0.5));
        assertRejected("learning-rate decay factor must be in (0, 1], got 2.0", () -> new Step(1.0, 10, 2.0));
        assertRejected("learning-rate decay factor must be in (0, 1], got 0.0", () -> new Exponential(1.0, 0.0));
        assertRejected("minimum learning rate must be between 0 and the learning rate 0.1, got 0.5",
                () -> new Cosine(0.1, 0.5, 10));
        assertRejected("cosine schedule length (epochs) must be 0 or more, got -1.0", () -> new Cosine(1.0, 0, -1));
    }

    private static void assertRejected(String message, Executable construction) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, construction).getMessage());
    }
}
