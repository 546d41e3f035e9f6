package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkprop.optim.LearningRateSchedule.Constant;
import io.sparkprop.optim.LearningRateSchedule.Cosine;
import io.sparkprop.optim.LearningRateSchedule.Exponential;
import io.sparkprop.optim.LearningRateSchedule.Kind;
import io.sparkprop.optim.LearningRateSchedule.StepDecay;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LearningRateScheduleTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void constantNeverChanges() {
        Constant schedule = new Constant();
        assertEquals(0.1, schedule.rate(0.1, 0, 10), 0.0);
        assertEquals(0.1, schedule.rate(0.1, 7.5, 10), 0.0);
        assertEquals("constant(lr=0.1)", schedule.describe(0.1, 10));
    }

    @Test
    void stepCutsTheRateEveryKEpochs() {
        StepDecay schedule = new StepDecay(0.5, 10);
        assertEquals(1.0, schedule.rate(1.0, 0, 100), TOLERANCE);      // 0.5^floor(0 / 10) = 0.5^0
        assertEquals(1.0, schedule.rate(1.0, 9.5, 100), TOLERANCE);    // floor(0.95) = 0
        assertEquals(0.5, schedule.rate(1.0, 10, 100), TOLERANCE);     // floor(1) = 1
        assertEquals(0.25, schedule.rate(1.0, 25, 100), TOLERANCE);    // floor(2.5) = 2: 0.5²
        assertEquals("step(lr=1, every=10, factor=0.5)", schedule.describe(1.0, 100));
    }

    @Test
    void exponentialDecaysByTheFactorPerEpoch() {
        Exponential schedule = new Exponential(0.5);
        assertEquals(2.0, schedule.rate(2.0, 0, 10), TOLERANCE);
        assertEquals(1.0, schedule.rate(2.0, 1, 10), TOLERANCE);                  // 2·0.5
        assertEquals(0.25, schedule.rate(2.0, 3, 10), TOLERANCE);                 // 2·0.5³
        assertEquals(1.4142135623730951, schedule.rate(2.0, 0.5, 10), TOLERANCE); // 2·√0.5 = √2, between epochs
        assertEquals("exponential(lr=2, factor=0.5)", schedule.describe(2.0, 10));
    }

    @Test
    void cosineAnnealsToTheMinimumAndStaysThere() {
        Cosine schedule = new Cosine(0.2);
        // 0.2 + ½·0.8·(1 + cos(π·epoch/10)) = 0.2 + 0.4·(1 + cos(π·epoch/10))
        assertEquals(1.0, schedule.rate(1.0, 0, 10), TOLERANCE);                 // cos 0 = 1: 0.2 + 0.8
        assertEquals(0.8828427124746190, schedule.rate(1.0, 2.5, 10), TOLERANCE); // cos(π/4) = 0.70710678: 0.2 + 0.4·1.70710678
        assertEquals(0.6, schedule.rate(1.0, 5, 10), TOLERANCE);                 // cos(π/2) = 0: 0.2 + 0.4
        assertEquals(0.2, schedule.rate(1.0, 10, 10), TOLERANCE);                // cos π = −1
        assertEquals(0.2, schedule.rate(1.0, 15, 10), TOLERANCE);                // min(15, 10) = 10
        assertEquals("cosine(lr=1, min=0.2, epochs=10)", schedule.describe(1.0, 10));
    }

    @Test
    void cosineOverNoEpochsIsAlreadyAnnealed() {
        assertEquals(0.2, new Cosine(0.2).rate(1.0, 0, 0), 0.0);
    }

    @Test
    void recordsItsNameAndParametersUnderTheOptionsNames() {
        assertEquals(Map.of(), new Constant().parameters());
        assertEquals(Map.of("decay", 0.1, "decayEpochs", 30.0), new StepDecay(0.1, 30).parameters());
        assertEquals(Map.of("decay", 0.97), new Exponential(0.97).parameters());
        assertEquals(Map.of("minLearningRate", 0.01), new Cosine(0.01).parameters());
        assertEquals("exponential", new Exponential(0.97).kind().id());
    }

    @Test
    void parsesNamesWhateverTheCase() {
        assertEquals(Kind.COSINE, Kind.parse("COSINE"));
        assertEquals(Kind.STEP, Kind.parse("step"));
        assertRejected("unknown learning-rate schedule 'linear' (expected constant, step, exponential or cosine)",
                () -> Kind.parse("linear"));
    }

    @Test
    void rejectsArgumentsNamingTheValue() {
        assertRejected("decayEpochs must be a positive number, got 0.0", () -> new StepDecay(0.5, 0));
        assertRejected("decayEpochs must be a positive number, got Infinity",
                () -> new StepDecay(0.5, Double.POSITIVE_INFINITY));
        assertRejected("decay must be in (0, 1], got 2.0", () -> new StepDecay(2.0, 10));
        assertRejected("decay must be in (0, 1], got 0.0", () -> new Exponential(0.0));
        assertRejected("decay must be in (0, 1], got NaN", () -> new Exponential(Double.NaN));
        assertRejected("minLearningRate must be 0 or a positive number, got -1.0", () -> new Cosine(-1));
    }

    private static void assertRejected(String message, Executable construction) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, construction).getMessage());
    }
}
