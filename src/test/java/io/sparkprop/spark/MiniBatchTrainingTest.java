package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.MiniBatchPlan;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.PartitionRows;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.TestData;
import io.sparkprop.optim.Adam;
import io.sparkprop.optim.Lamb;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.UpdateRule;
import io.sparkprop.optim.UpdateState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Mini-batch steps, validation and early stopping of {@link SparkTrainer}. */
class MiniBatchTrainingTest {
    private static final Network NETWORK =
            Network.parse("sigmoid(8)|tanh(6)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final int[] UNEVEN = {30, 0, 7, 63, 1, 19};
    private static final UpdateRule ADAM = new UpdateRule(new Adam(), new LearningRateSchedule.Cosine(0.001), 0.01,
            0.5);

    @Test
    void miniBatchStepsInSparkEqualTheSameStepsRunOnOneMachine() {
        assertSparkStepsEqualOneMachine(ADAM);
    }

    /** Also LAMB, whose steps need the network's tensors, and a warm-up, which needs the steps per epoch. */
    @Test
    void lambWithAWarmUpInSparkEqualsTheSameStepsRunOnOneMachine() {
        assertSparkStepsEqualOneMachine(new UpdateRule(new Lamb(), new LearningRateSchedule.Cosine(0.001), 0.01, 0.5,
                1.5));
    }

    private static void assertSparkStepsEqualOneMachine(UpdateRule update) {
        Block all = TestData.block(NETWORK, 120, 21);
        int blockSize = 4;
        TrainingConfig config = new TrainingConfig(3, 0.05, 9, 0, blockSize, 2).withBatchSize(16).withUpdate(update);
        TrainingResult result = new SparkTrainer(config).fit(LocalSpark.frame(all, UNEVEN), NETWORK);

        // The reference: every partition's rows stacked in blocks as the cache holds them, the same
        // plan, the partitions' sums added in order, the same update rule; no Spark.
        List<PartitionRows> partitions = new ArrayList<>();
        int start = 0;
        for (int size : UNEVEN) {
            List<Block> blocks = new ArrayList<>();
            for (int from = start; from < start + size; from += blockSize) {
                int rows = Math.min(blockSize, start + size - from);
                blocks.add(new Block(rows, Arrays.copyOfRange(all.features(), from * 4, (from + rows) * 4),
                        Arrays.copyOfRange(all.targets(), from * 3, (from + rows) * 3)));
            }
            partitions.add(new PartitionRows(blocks));
            start += size;
        }
        double[] params = Initializer.initialize(NETWORK, 9);
        MiniBatchPlan plan = new MiniBatchPlan(9, 120, 16, UNEVEN.length);
        Backprop engine = new Backprop(NETWORK);
        int steps = plan.stepsPerEpoch();
        assertEquals(8, steps);
        UpdateState rule = UpdateState.create(update, NETWORK, 0.05, 3, steps);
        double[] epochLoss = new double[3];
        for (int epoch = 0; epoch < 3; epoch++) {
            long count = 0;
            for (int step = 0; step < steps; step++) {
                GradientSum sum = new GradientSum(params.length);
                for (int p = 0; p < partitions.size(); p++) {
                    PartitionRows rows = partitions.get(p);
                    sum.merge(engine.sum(params, rows.select(plan.rows(epoch, step, p, rows.rows()), blockSize)));
                }
                epochLoss[epoch] += sum.loss();
                count += sum.count();
                rule.step(params, sum.meanGradient(), epoch + (double) step / steps);
            }
            assertEquals(120, count, "an epoch sees every row once");
            epochLoss[epoch] /= count;
        }

        double[] trained = result.model().parameters();
        for (int i = 0; i < params.length; i++) {
            assertEquals(params[i], trained[i], 1e-10 * Math.max(1, Math.abs(params[i])), "weight " + i);
        }
        for (int epoch = 0; epoch < 3; epoch++) {
            EpochStats stats = result.history().get(epoch);
            assertEquals(epochLoss[epoch], stats.loss(), 1e-10 * epochLoss[epoch], "loss of epoch " + (epoch + 1));
            assertEquals(steps, stats.steps());
        }
        assertFalse(Arrays.equals(params, Initializer.initialize(NETWORK, 9)));
    }

    @Test
    void float32MiniBatchesAreDeterministic() {
        Block all = TestData.block(NETWORK, 120, 21);
        TrainingConfig config = new TrainingConfig(2, 0.05, 9, 3, 8, 2).withBatchSize(20).withUpdate(ADAM)
                .withPrecision(Precision.FLOAT32);
        double[] first = new SparkTrainer(config).fit(LocalSpark.frame(all, UNEVEN), NETWORK).model().parameters();
        double[] second = new SparkTrainer(config).fit(LocalSpark.frame(all, UNEVEN), NETWORK).model().parameters();
        assertArrayEquals(first, second);
    }

    @Test
    void earlyStoppingKeepsTheEpochWithTheLowestValidationLoss() {
        // 40 rows of random labels: a big step size overfits them quickly, so the validation loss on
        // other random rows rises after a few epochs.
        Network wide = Network.parse("tanh(32)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
        Dataset<Row> train = LocalSpark.frame(TestData.block(wide, 40, 1), 20, 20);
        Dataset<Row> validation = LocalSpark.frame(TestData.block(wide, 60, 2), 30, 30);
        TrainingConfig config = TrainingConfig.of(60, 0.05).withBatchSize(10).withOptimizer(new Adam()).withPatience(3);
        TrainingResult result = new SparkTrainer(config).withValidation(validation).fit(train, wide);

        List<EpochStats> history = result.history();
        int best = 0;
        for (int e = 1; e < history.size(); e++) {
            if (history.get(e).validation().meanLoss() < history.get(best).validation().meanLoss()) {
                best = e;
            }
        }
        assertTrue(history.size() < 60, "stopped early after " + history.size() + " epochs");
        assertEquals(best + 1, result.keptEpoch());
        assertEquals(result.keptEpoch() + 3, history.size(), "three epochs without improvement, then stop");
        // The model holds the kept epoch's weights: its validation loss is that epoch's, to the bit.
        assertEquals(history.get(best).validation().meanLoss(), result.validation().meanLoss());
        assertEquals(60, result.validation().count());
    }

    @Test
    void earlyStoppingNeedsValidationData() {
        Dataset<Row> train = LocalSpark.frame(TestData.block(NETWORK, 10, 1), 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainer(TrainingConfig.of(3, 0.1).withPatience(2)).fit(train, NETWORK));
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
    }

    @Test
    void aValidationFractionHoldsOutPartOfTheData() {
        Dataset<Row> data = LocalSpark.frame(TestData.block(NETWORK, 400, 1), 200, 200);
        TrainingResult result = new SparkTrainer(TrainingConfig.of(2, 0.1).withValidationFraction(0.25))
                .fit(data, NETWORK);
        assertEquals(400, result.rows() + result.validation().count());
        assertTrue(Math.abs(result.validation().count() - 100) < 30, "about a quarter: " + result.validation().count());
        assertTrue(result.history().get(1).validation() != null);
    }

    @Test
    void standardisedTrainingEqualsTrainingOnStandardisedData() {
        Block raw = TestData.block(NETWORK, 90, 4);
        double[] shift = {1000, -3, 0.5, 7};
        double[] stretch = {50, 0.01, 1, 3};
        for (int r = 0; r < 90; r++) {
            for (int j = 0; j < 4; j++) {
                raw.features()[4 * r + j] = shift[j] + stretch[j] * raw.features()[4 * r + j];
            }
        }
        TrainingConfig config = new TrainingConfig(3, 0.5, 2, 0, 16, 2);
        TrainingResult standardised = new SparkTrainer(config.withStandardize(true))
                .fit(LocalSpark.frame(raw, 40, 50), NETWORK);
        var standardization = standardised.model().standardization().orElseThrow();

        // Spark's Summarizer gave the mean and the sample deviation of every feature.
        double[] mean = new double[4];
        double[] variance = new double[4];
        for (int j = 0; j < 4; j++) {
            for (int r = 0; r < 90; r++) {
                mean[j] += raw.features()[4 * r + j] / 90;
            }
            for (int r = 0; r < 90; r++) {
                double d = raw.features()[4 * r + j] - mean[j];
                variance[j] += d * d / 89;
            }
            assertEquals(mean[j], standardization.mean()[j], 1e-9 * Math.abs(mean[j]));
            assertEquals(Math.sqrt(variance[j]), standardization.scale()[j], 1e-9 * Math.sqrt(variance[j]));
        }
        Block scaled = new Block(90, raw.features().clone(), raw.targets());
        standardization.apply(scaled.features(), 90);
        double[] plain = new SparkTrainer(config).fit(LocalSpark.frame(scaled, 40, 50), NETWORK).model().parameters();
        double[] trained = standardised.model().parameters();
        for (int i = 0; i < plain.length; i++) {
            DistributedGradientTest.assertRelativelyEqual(plain[i], trained[i], "weight " + i);
        }
        // And the model applies it to raw features when it predicts.
        double[] expected = new io.sparkprop.engine.Model(NETWORK, plain).predict(
                Arrays.copyOf(scaled.features(), 8), 2);
        assertArrayEquals(expected, standardised.model().predict(Arrays.copyOf(raw.features(), 8), 2), 1e-12);
    }
}
