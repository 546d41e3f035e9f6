package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.TestData;
import io.sparkprop.optim.Adam;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.Momentum;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/**
 * Tasks of the training steps that fail and are retried, in the shared local[2,4] session (up to 4
 * attempts per task), leave the model bitwise the model of a run without failures: each
 * partition's sum is taken once, from the attempt that succeeded. (Lost executors, whose cached
 * blocks are rebuilt from the input, are tested on a real cluster: scripts/cluster-test.sh.)
 */
class TaskRetryTest {
    private static final Network NETWORK =
            Network.parse("sigmoid(8)|tanh(6)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final Block DATA = TestData.block(NETWORK, 90, 3);

    /** Counts the task attempts that ended in a failure. */
    private static final class FailedAttempts extends SparkListener implements AutoCloseable {
        final AtomicInteger count = new AtomicInteger();
        private final SparkContext sc = LocalSpark.session().sparkContext();

        FailedAttempts() {
            sc.addSparkListener(this);
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd event) {
            if (event.reason() != Success$.MODULE$) {
                count.incrementAndGet();
            }
        }

        int total() {
            try {
                sc.listenerBus().waitUntilEmpty();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(e);
            }
            return count.get();
        }

        @Override
        public void close() {
            sc.removeSparkListener(this);
        }
    }

    private static TrainingResult train(TrainingConfig config) {
        return new SparkTrainer(config).fit(LocalSpark.frame(DATA, 30, 25, 35), NETWORK);
    }

    /** Trains with the first attempt of every step's tasks of {@code partitions} failing. */
    private static TrainingResult withFailures(TrainingConfig config, String partitions, int atLeast) {
        // `mvn test -Dtest=TaskRetryTest` runs it in the build's second execution too, whose session
        // has Spark's defaults: one attempt per task, so an injected failure ends the job.
        assumeFalse("default".equals(System.getProperty(LocalSpark.SESSION_PROPERTY)), "a session without retries");
        SparkContext sc = LocalSpark.session().sparkContext();
        try (FailedAttempts failed = new FailedAttempts()) {
            sc.setLocalProperty(FaultInjection.FAIL_FIRST_ATTEMPT, partitions);
            TrainingResult result = train(config);
            sc.setLocalProperty(FaultInjection.FAIL_FIRST_ATTEMPT, null);
            assertTrue(failed.total() >= atLeast, failed.total() + " failed attempts, expected at least " + atLeast);
            return result;
        } finally {
            sc.setLocalProperty(FaultInjection.FAIL_FIRST_ATTEMPT, null);
        }
    }

    @Test
    void retriedTasksOfFullBatchStepsCountOnce() {
        TrainingConfig config = new TrainingConfig(5, 0.5, 3, 0, 16, 2).withOptimizer(new Momentum(0.9));
        TrainingResult reference = train(config);
        TrainingResult retried = withFailures(config, "0,2", 2 * 5);
        assertArrayEquals(reference.model().parameters(), retried.model().parameters());
        assertEquals(reference.history().get(4).loss(), retried.history().get(4).loss());
    }

    @Test
    void retriedTasksOfMiniBatchStepsWithValidationAndEarlyStoppingCountOnce() {
        TrainingConfig config = new TrainingConfig(8, 0.05, 5, 0, 8, 2).withBatchSize(20).withOptimizer(new Adam())
                .withSchedule(new LearningRateSchedule.Cosine(0.001)).withValidationFraction(0.2).withPatience(2);
        TrainingResult reference = train(config);
        TrainingResult retried = withFailures(config, "1", reference.history().size() * reference.history().get(0).steps());
        assertArrayEquals(reference.model().parameters(), retried.model().parameters());
        assertEquals(reference.keptEpoch(), retried.keptEpoch());
        for (int e = 0; e < reference.history().size(); e++) {
            assertEquals(reference.history().get(e).loss(), retried.history().get(e).loss());
            assertEquals(reference.history().get(e).validation().meanLoss(), retried.history().get(e).validation().meanLoss());
        }
    }

    /**
     * A cached block that is lost (removed from its block manager, as when its executor dies) is
     * rebuilt from the blocks' lineage bit for bit, so the steps after it sum the same numbers. This
     * is what happens on a cluster; in local mode the trainer cuts the lineage of its cached blocks
     * ({@link Blocks#persisted}), as no executor can be lost there.
     */
    @Test
    void aLostCachedBlockIsRebuiltFromItsLineageBitForBit() throws Exception {
        JavaRDD<Block> blocks = Blocks.fromDataset(LocalSpark.frame(DATA, 30, 25, 35), "features", "label", NETWORK, 16,
                Precision.FLOAT64, null).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            double[] params = Initializer.initialize(NETWORK, 3);
            DistributedGradient gradient = new DistributedGradient(blocks, NETWORK, 2);
            GradientSum before = gradient.compute(params);
            RDDBlockId lost = new RDDBlockId(blocks.id(), 1);
            BlockManager blockManager = SparkEnv.get().blockManager();
            assertTrue(blockManager.getStatus(lost).isDefined(), "cached by the first step");
            blockManager.removeBlock(lost, true);
            assertTrue(blockManager.getStatus(lost).isEmpty());

            GradientSum after = gradient.compute(params);
            assertTrue(blockManager.getStatus(lost).isDefined(), "rebuilt and cached again");
            assertArrayEquals(before.gradient(), after.gradient());
            assertEquals(before.loss(), after.loss());
            assertEquals(before.count(), after.count());
        } finally {
            blocks.unpersist(true);
        }
    }
}
