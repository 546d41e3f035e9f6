package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.TestData;
import io.sparkprop.optim.Adam;
import io.sparkprop.optim.Lamb;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.Nesterov;
import io.sparkprop.optim.UpdateRule;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Barrier steps (one job for many steps, the tasks exchanging their sums) give bitwise the model,
 * losses and validation figures of one job per step: the same rows, sums, merge order and update.
 * The shared test session is local[2]: two task slots, so two partitions.
 */
class BarrierStepsTest {
    private static final Network NETWORK =
            Network.parse("sigmoid(8)|tanh(6)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final Block DATA = TestData.block(NETWORK, 90, 3);

    private static Dataset<Row> frame() {
        return LocalSpark.frame(DATA, 50, 40);
    }

    private static TrainingResult train(TrainingConfig config, SyncMode mode) {
        return new SparkTrainer(config).withSync(mode).fit(frame(), NETWORK);
    }

    private static void assertSameRun(TrainingResult expected, TrainingResult actual) {
        assertArrayEquals(expected.model().parameters(), actual.model().parameters());
        assertEquals(expected.history().size(), actual.history().size());
        for (int e = 0; e < expected.history().size(); e++) {
            EpochStats want = expected.history().get(e);
            EpochStats got = actual.history().get(e);
            assertEquals(want.loss(), got.loss(), "epoch " + (e + 1));
            assertEquals(want.accuracy(), got.accuracy(), "epoch " + (e + 1));
            assertEquals(want.learningRate(), got.learningRate(), "epoch " + (e + 1));
            assertEquals(want.gradientNorm(), got.gradientNorm(), "epoch " + (e + 1));
            if (want.validation() != null) {
                assertEquals(want.validation().meanLoss(), got.validation().meanLoss(), "epoch " + (e + 1));
            }
        }
        assertEquals(expected.keptEpoch(), actual.keptEpoch());
    }

    @Test
    void adamWithCosineValidationAndEarlyStoppingIsBitwiseTheJobPerStepRun() {
        TrainingConfig config = new TrainingConfig(9, 0.05, 5, 0, 8, 2).withBatchSize(16).withOptimizer(new Adam())
                .withSchedule(new LearningRateSchedule.Cosine(0.001)).withValidationFraction(0.2).withPatience(2);
        assertSameRun(train(config, SyncMode.JOBS), train(config, SyncMode.BARRIER));
    }

    @Test
    void lambWithWarmUpToo() {
        TrainingConfig config = new TrainingConfig(3, 0.02, 5, 0, 8, 2).withBatchSize(12)
                .withUpdate(new UpdateRule(new Lamb(),
                        new LearningRateSchedule.Cosine(0), 0, 0, 1.5));
        assertSameRun(train(config, SyncMode.JOBS), train(config, SyncMode.BARRIER));
    }

    @Test
    void float32BlocksWeightDecayClippingAndStandardisationToo() {
        TrainingConfig config = new TrainingConfig(4, 0.3, 7, 0, 5, 1).withBatchSize(7)
                .withUpdate(new UpdateRule(new Nesterov(0.9),
                        new LearningRateSchedule.StepDecay(0.5, 2), 1e-3, 0.5))
                .withPrecision(Precision.FLOAT32).withStandardize(true);
        assertSameRun(train(config, SyncMode.JOBS), train(config, SyncMode.BARRIER));
    }

    @Test
    void oneBarrierJobRunsAShortRunUnlessAValidationPassComesBetweenEpochs() throws Exception {
        TrainingConfig config = new TrainingConfig(4, 0.05, 5, 0, 8, 2).withBatchSize(16).withOptimizer(new Adam());
        assertEquals(1, barrierStagesOf(() -> train(config, SyncMode.BARRIER)));
        assertEquals(4, barrierStagesOf(() -> train(config.withValidationFraction(0.2), SyncMode.BARRIER)));
    }

    /** How many barrier stages {@code run} submits. */
    private static int barrierStagesOf(Runnable run) throws Exception {
        SparkContext sc = LocalSpark.session().sparkContext();
        AtomicInteger stages = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
                if (CollectionConverters.asJava(submitted.stageInfo().rddInfos()).stream().anyMatch(RDDInfo::isBarrier)) {
                    stages.incrementAndGet();
                }
            }
        };
        sc.addSparkListener(counter);
        try {
            run.run();
            sc.listenerBus().waitUntilEmpty();
        } finally {
            sc.removeSparkListener(counter);
        }
        return stages.get();
    }

    @Test
    void checkpointsEveryFewStepsAndAStopDuringABarrierJobResumeToTheSameBits(@TempDir Path dir) {
        TrainingConfig config = new TrainingConfig(3, 0.05, 5, 0, 8, 2).withBatchSize(10).withOptimizer(new Adam());
        TrainingResult reference = train(config, SyncMode.JOBS);
        Checkpointing every4 = new Checkpointing(dir.resolve("ckpt").toString(), Checkpointing.Interval.parse("4s"), 100,
                Checkpointing.Resume.NEVER);
        // Asked before every step: stops before the third step of epoch 1 (of 9), while the barrier
        // job runs, and checkpoints the state after step 2.
        int[] asked = {0};
        TrainingStoppedException stopped = assertThrows(TrainingStoppedException.class, () -> new SparkTrainer(config)
                .withSync(SyncMode.BARRIER).withCheckpoints(every4, List.of())
                .withStopRequest(() -> ++asked[0] > 2).fit(frame(), NETWORK));
        assertTrue(stopped.getMessage().contains("epoch 1"), stopped.getMessage());
        TrainingResult resumed = new SparkTrainer(config).withSync(SyncMode.BARRIER)
                .withCheckpoints(new Checkpointing(every4.dir(), every4.every(), 100, Checkpointing.Resume.IF_PRESENT),
                        List.of())
                .fit(frame(), NETWORK);
        assertArrayEquals(reference.model().parameters(), resumed.model().parameters());
        assertEquals(reference.history().get(2).loss(), resumed.history().get(2).loss());
    }

    @Test
    void aFailedBarrierTaskRerunsTheStageToTheSameBits() {
        assumeFalse("default".equals(System.getProperty(LocalSpark.SESSION_PROPERTY)), "a session without retries");
        TrainingConfig config = new TrainingConfig(3, 0.05, 5, 0, 8, 2).withBatchSize(16).withOptimizer(new Adam());
        TrainingResult reference = train(config, SyncMode.JOBS);
        SparkContext sc = LocalSpark.session().sparkContext();
        sc.setLocalProperty(FaultInjection.FAIL_FIRST_ATTEMPT, "1");
        try {
            assertSameRun(reference, train(config, SyncMode.BARRIER));
        } finally {
            sc.setLocalProperty(FaultInjection.FAIL_FIRST_ATTEMPT, null);
        }
    }

    @Test
    void divergenceEndsTheRunWithTheSameMessage() {
        Network relu = Network.parse("relu(8)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
        TrainingConfig config = new TrainingConfig(5, 1e6, 5, 0, 8, 2).withBatchSize(16);
        DivergenceException jobs = assertThrows(DivergenceException.class,
                () -> new SparkTrainer(config).withSync(SyncMode.JOBS).fit(frame(), relu));
        DivergenceException barrier = assertThrows(DivergenceException.class,
                () -> new SparkTrainer(config).withSync(SyncMode.BARRIER).fit(frame(), relu));
        assertEquals(jobs.getMessage(), barrier.getMessage());
    }

    @Test
    void moreMiniBatchPartitionsThanTaskSlotsAreRefusedOrLeftToJobs() {
        TrainingConfig config = new TrainingConfig(2, 0.05, 5, 3, 8, 2).withBatchSize(16);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> train(config, SyncMode.BARRIER));
        assertTrue(refused.getMessage().contains("3 partitions need as many task slots at once, there are 2"),
                refused.getMessage());
        assertSameRun(train(config, SyncMode.JOBS), train(config, SyncMode.AUTO));
    }
}
