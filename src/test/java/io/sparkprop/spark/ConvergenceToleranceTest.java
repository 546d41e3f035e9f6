package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.TestData;
import org.junit.jupiter.api.Test;

/** {@link TrainingConfig#tol()}: stop once an epoch lowers the mean training loss by less than tol of the previous. */
class ConvergenceToleranceTest {
    private static final Network NETWORK =
            Network.parse("sigmoid(8)|tanh(6)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);

    @Test
    void stopsAfterTheFirstEpochThatImprovesByLessThanTolAndZeroTrainsEveryEpoch() {
        Block data = TestData.block(NETWORK, 60, 3);
        TrainingConfig config = new TrainingConfig(30, 0.5, 9, 0, 8, 2);
        TrainingResult all = new SparkTrainer(config).fit(LocalSpark.frame(data, 30, 30), NETWORK);
        assertEquals(30, all.history().size(), "tol = 0 trains every epoch");

        double tol = 0.01;
        int expected = 1; // epochs the rule lets run: stop after the first e with l[e−1] − l[e] < tol · |l[e−1]|
        while (expected < 30 && all.history().get(expected - 1).loss() - all.history().get(expected).loss()
                >= tol * Math.abs(all.history().get(expected - 1).loss())) {
            expected++;
        }
        assertTrue(expected < 29, "the test needs a run that converges early, stopped at " + (expected + 1));
        TrainingResult stopped = new SparkTrainer(config.withTol(tol)).fit(LocalSpark.frame(data, 30, 30), NETWORK);
        assertEquals(expected + 1, stopped.history().size());
        assertEquals(expected + 1, stopped.keptEpoch(), "the last epoch's weights are kept");
        TrainingResult sameEpochs = new SparkTrainer(new TrainingConfig(expected + 1, 0.5, 9, 0, 8, 2))
                .fit(LocalSpark.frame(data, 30, 30), NETWORK);
        assertArrayEquals(sameEpochs.model().parameters(), stopped.model().parameters());
        assertEquals(tol, stopped.record("test").training().get("tol"));
    }

    @Test
    void tolMustBeAFiniteNumberAtLeastZero() {
        for (double bad : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainingConfig.of(1, 0.1).withTol(bad));
            assertEquals("tol must be a finite number >= 0, got " + bad, e.getMessage());
        }
        assertEquals(0.0, TrainingConfig.of(1, 0.1).tol());
    }
}
