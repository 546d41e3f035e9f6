package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.TestData;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class StepTaskTimesTest {
    private static final Network NETWORK = Network.parse("relu(16)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);

    @Test
    void countsOnlyTheTasksOfMarkedJobs() {
        SparkContext sc = LocalSpark.session().sparkContext();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        try (StepTaskTimes times = StepTaskTimes.listen(sc)) {
            jsc.parallelize(List.of(1, 2), 2).map(StepTaskTimesTest::slowly).collect();
            assertEquals(new StepTaskTimes.Totals(0, 0), times.totals(), "an unmarked job");
            times.marking(true);
            jsc.parallelize(List.of(1, 2), 2).map(StepTaskTimesTest::slowly).collect();
            times.marking(false);
            StepTaskTimes.Totals totals = times.totals();
            assertTrue(totals.stepMillis() >= 2 * 50, totals.toString());
            assertEquals(0, totals.mergeMillis(), "no task read a shuffle");
        }
    }

    private static int slowly(int x) throws InterruptedException {
        Thread.sleep(60);
        return x;
    }

    @Test
    void measuredPartsBeyondTheWallClockAreScaledToFillIt() {
        TimeBreakdown barrier = TimeBreakdown.ofBarrier(0.010, 0.016, 0.004); // tasks ran ahead of the driver
        assertEquals(0.008, barrier.compute(), 1e-15);
        assertEquals(0.002, barrier.update(), 1e-15);
        assertEquals(0, barrier.aggregation());
        TimeBreakdown jobs = TimeBreakdown.ofJobs(1.0, 0.5, 0.1, 0.05, 0.05, 0.1);
        assertEquals(0.2, jobs.scheduling(), 1e-12);
        assertEquals(0.5, jobs.compute());
    }

    @Test
    void everyEpochsPartsAddUpToItsTime() {
        Block all = TestData.block(NETWORK, 400, 5);
        for (SyncMode mode : List.of(SyncMode.JOBS, SyncMode.BARRIER)) {
            TrainingResult result = new SparkTrainer(TrainingConfig.of(3, 0.1).withBatchSize(100)).withSync(mode)
                    .withValidation(LocalSpark.frame(TestData.block(NETWORK, 60, 6), 30, 30))
                    .fit(LocalSpark.frame(all, 200, 200), NETWORK);
            for (EpochStats epoch : result.history()) {
                TimeBreakdown times = epoch.times();
                double sum = times.asMap().values().stream().mapToDouble(Double::doubleValue).sum();
                String what = mode + " epoch " + epoch.epoch() + ": " + times;
                assertTrue(times.compute() > 0 && times.update() > 0, what);
                if (mode == SyncMode.JOBS) {
                    assertTrue(times.broadcast() > 0, what);
                } else {
                    assertEquals(0, times.broadcast() + times.tasks() + times.scheduling(), what);
                }
                assertEquals(epoch.seconds(), sum, 1e-9, what);
            }
            assertTrue(result.epochTimes().compute() > 0);
        }
    }
}
