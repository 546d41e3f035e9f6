package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.MultilabelMetrics;
import io.sparkprop.engine.RegressionMetrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.TestData;
import io.sparkprop.engine.Workspace;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.InvalidDataException;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.SyntheticClusters;
import io.sparkprop.io.SyntheticRegression;
import io.sparkprop.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparkTrainerTest {
    private static final Network NETWORK =
            Network.parse("sigmoid(8)|tanh(6)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final int[] UNEVEN = {3, 8, 0, 1, 12, 7, 6};

    @Test
    void threeSparkEpochsEqualThreeEpochsOfAPlainLoop() {
        Block all = TestData.block(NETWORK, 37, 21);
        TrainingConfig config = new TrainingConfig(3, 0.7, 9, 0, 4, 3);
        TrainingResult result = new SparkTrainer(config).fit(LocalSpark.frame(all, UNEVEN), NETWORK);

        // The reference: the engine over all rows as one batch, W ← W − η ∇/n, three times.
        double[] params = Initializer.initialize(NETWORK, 9);
        Backprop engine = new Backprop(NETWORK);
        List<Double> losses = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            GradientSum sum = new GradientSum(params.length);
            engine.accumulate(params, all, new Workspace(NETWORK, 37), sum);
            losses.add(sum.loss() / 37);
            for (int i = 0; i < params.length; i++) {
                params[i] -= 0.7 * sum.gradient()[i] / 37;
            }
        }

        double[] trained = result.model().parameters();
        for (int i = 0; i < params.length; i++) {
            DistributedGradientTest.assertRelativelyEqual(params[i], trained[i], "weight " + i);
        }
        assertEquals(3, result.history().size());
        for (int epoch = 0; epoch < 3; epoch++) {
            DistributedGradientTest.assertRelativelyEqual(losses.get(epoch), result.history().get(epoch).loss(),
                    "loss of epoch " + (epoch + 1));
        }
        assertEquals(37, result.rows());
    }

    @Test
    void sameSeedDataAndPartitioningGiveBitwiseIdenticalWeights() {
        Block all = TestData.block(NETWORK, 200, 4);
        // Repartitioning, several blocks per partition and a shuffle level in the aggregation tree.
        TrainingConfig config = new TrainingConfig(4, 0.5, 123, 7, 8, 3);
        double[] first = new SparkTrainer(config).fit(LocalSpark.frame(all, 50, 150), NETWORK).model().parameters();
        double[] second = new SparkTrainer(config).fit(LocalSpark.frame(all, 50, 150), NETWORK).model().parameters();
        assertArrayEquals(first, second); // exact equality of every bit
        double[] otherSeed = new SparkTrainer(config.withSeed(124)).fit(LocalSpark.frame(all, 50, 150), NETWORK)
                .model().parameters();
        assertTrue(!java.util.Arrays.equals(first, otherSeed), "the seed matters");
    }

    @Test
    void float32TrainingIsDeterministicAndTracksFloat64() {
        Block all = TestData.block(NETWORK, 200, 4);
        TrainingConfig config = new TrainingConfig(4, 0.5, 123, 3, 16, 2).withPrecision(io.sparkprop.engine.Precision.FLOAT32);
        double[] first = new SparkTrainer(config).fit(LocalSpark.frame(all, 50, 150), NETWORK).model().parameters();
        double[] second = new SparkTrainer(config).fit(LocalSpark.frame(all, 50, 150), NETWORK).model().parameters();
        assertArrayEquals(first, second);
        double[] exact = new SparkTrainer(new TrainingConfig(4, 0.5, 123, 3, 16, 2)).fit(LocalSpark.frame(all, 50, 150),
                NETWORK).model().parameters();
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], first[i], 1e-5, "weight " + i);
        }
    }

    @Test
    void learnsXorWithSigmoidUnits() {
        // Classic XOR: 2 inputs, 4 sigmoid hidden units, one sigmoid output, squared error.
        Network xor = Network.of(new int[] {2, 4, 1}, Activation.SIGMOID, Activation.SIGMOID, Loss.SQUARED_ERROR);
        Block data = new Block(4, new double[] {0, 0, 0, 1, 1, 0, 1, 1}, new double[] {0, 1, 1, 0});
        TrainingResult result = new SparkTrainer(new TrainingConfig(300, 10.0, 42, 0, 1024, 2))
                .fit(LocalSpark.frame(data, 2, 2), xor);
        assertEquals(1.0, result.finalAccuracy(), "all four XOR cases right after 300 epochs");
        assertTrue(result.finalLoss() < 0.02, "mean squared error below 0.02, was " + result.finalLoss());
        double[] out = result.model().predict(new double[] {0, 0, 0, 1, 1, 0, 1, 1}, 4);
        assertTrue(out[0] < 0.2 && out[1] > 0.8 && out[2] > 0.8 && out[3] < 0.2, java.util.Arrays.toString(out));
    }

    @Test
    void learnsTheBuiltInSyntheticTask() {
        LabeledData data = new DataLoader(LocalSpark.session()).synthetic(SyntheticClusters.standard(42), 4000, 2);
        Network network = Network.parse("sigmoid(64)|softmax(10)", data.featureCount(), Loss.CATEGORICAL_CROSS_ENTROPY);
        TrainingResult result = new SparkTrainer(new TrainingConfig(100, 5.0, 42, 0, 512, 2)).fit(data.frame(), network);
        assertTrue(result.history().get(0).accuracy() < 0.3, "starts near chance");
        assertTrue(result.finalAccuracy() >= 0.90, "accuracy after 100 epochs: " + result.finalAccuracy());
        assertTrue(result.finalLoss() < result.history().get(0).loss() / 4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'tanh(6)|identity(2)', squared-error, REGRESSION", "'relu(6)|sigmoid(3)', binary-cross-entropy, MULTILABEL"})
    void vectorLabelsTrainMultiOutputRegressionAndMultiLabelNetworks(String spec, String loss, Metrics.Task task) {
        Network network = Network.parse(spec, 4, Loss.parse(loss));
        Block all = TestData.block(network, 30, 5);
        TrainingResult result = new SparkTrainer(new TrainingConfig(2, 0.3, 1, 0, 8, 2))
                .fit(LocalSpark.vectorLabelFrame(all, 12, 18), network);

        double[] params = Initializer.initialize(network, 1);
        for (int epoch = 0; epoch < 2; epoch++) {
            GradientSum sum = new GradientSum(params.length);
            new Backprop(network).accumulate(params, all, new Workspace(network, 30), sum);
            for (int i = 0; i < params.length; i++) {
                params[i] -= 0.3 * sum.gradient()[i] / 30;
            }
        }
        double[] trained = result.model().parameters();
        for (int i = 0; i < params.length; i++) {
            DistributedGradientTest.assertRelativelyEqual(params[i], trained[i], "weight " + i);
        }
        Metrics metrics = result.training();
        assertEquals(task, metrics.task());
        assertEquals(30, metrics.count());
        if (task == Metrics.Task.REGRESSION) {
            assertEquals(2, assertInstanceOf(RegressionMetrics.class, metrics).r2PerOutput().length);
        } else {
            assertEquals(3, assertInstanceOf(MultilabelMetrics.class, metrics).labelConfusion().length);
            assertTrue(Double.isNaN(result.history().get(0).accuracy()), "no arg-max accuracy for multi-label");
        }
    }

    @Test
    void fitsTheFrameThatDataLoaderReadsFromAVectorLabelParquetFile() {
        // Written by BadInputCorpus: features (0.5, 1), (1.5, 2), (-0.5, 0), (1, -1) and their target vectors.
        String path = java.nio.file.Path.of("src/test/resources/bad-input/parquet/vector-label.parquet")
                .toAbsolutePath().toString();
        LabeledData data = new DataLoader(LocalSpark.session()).load(path, io.sparkprop.io.DataFormat.PARQUET,
                java.util.Optional.empty());
        assertEquals(org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), data.frame().schema().apply("label")
                .dataType());
        Network network = Network.parse("tanh(3)|identity(2)", data.featureCount(), Loss.SQUARED_ERROR);
        TrainingConfig config = new TrainingConfig(3, 0.1, 5, 0, 16, 2);
        TrainingResult loaded = new SparkTrainer(config).fit(data.frame(), network);

        Block same = new Block(4, new double[] {0.5, 1.0, 1.5, 2.0, -0.5, 0.0, 1.0, -1.0},
                new double[] {1.5, -1.0, 3.5, -2.0, -0.5, 0.0, 0.0, 2.0});
        TrainingResult built = new SparkTrainer(config).fit(LocalSpark.vectorLabelFrame(same, 4), network);
        assertArrayEquals(built.model().parameters(), loaded.model().parameters());
        assertEquals(2, assertInstanceOf(RegressionMetrics.class, loaded.training()).r2PerOutput().length);
    }

    @Test
    void learnsTheRegressionTask() {
        DataLoader loader = new DataLoader(LocalSpark.session());
        LabeledData train = loader.synthetic(SyntheticRegression.standard(42), 4000, 2);
        LabeledData test = loader.synthetic(SyntheticRegression.standard(43), 2000, 2);
        Network network = Network.parse("tanh(32)|tanh(32)|identity(1)", 10, Loss.SQUARED_ERROR);
        TrainingConfig config = TrainingConfig.of(40, 0.01).withBatchSize(250).withOptimizer(new Adam())
                .withStandardize(true);
        TrainingResult result = new SparkTrainer(config).withValidation(test.frame()).fit(train.frame(), network);
        double r2 = assertInstanceOf(RegressionMetrics.class, result.validation()).r2();
        assertTrue(r2 >= 0.95, "R² on other rows: " + r2);
        assertTrue(assertInstanceOf(RegressionMetrics.class, result.history().get(0).validation()).r2() < 0.9,
                "not learned at the start");
    }

    @Test
    void continuesFromAModelAsIfTrainingHadNotStopped() {
        Block all = TestData.block(NETWORK, 40, 8);
        TrainingConfig two = new TrainingConfig(2, 0.5, 5, 0, 16, 2);
        Model afterTwo = new SparkTrainer(two).fit(LocalSpark.frame(all, 20, 20), NETWORK).model();
        Model afterFour = new SparkTrainer(two).fit(LocalSpark.frame(all, 20, 20), afterTwo).model();
        Model straight = new SparkTrainer(new TrainingConfig(4, 0.5, 5, 0, 16, 2))
                .fit(LocalSpark.frame(all, 20, 20), NETWORK).model();
        assertArrayEquals(straight.parameters(), afterFour.parameters());
    }

    @Test
    void aLabelThatIsNotAClassIndexIsReportedWithItsRow() {
        Block bad = TestData.block(NETWORK, 10, 2);
        java.util.Arrays.fill(bad.targets(), 0.0);
        for (int r = 0; r < 10; r++) {
            bad.targets()[3 * r + (r == 7 ? 2 : r % 2)] = 1.0; // labels 0 and 1, but 2 in row 8
        }
        Network twoClasses = Network.parse("sigmoid(8)|tanh(6)|softmax(2)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> new SparkTrainer(TrainingConfig.of(1, 0.1)).fit(LocalSpark.frame(bad, 5, 5), twoClasses));
        assertEquals("row 3 of partition 1: label 2.0 is not a class index 0..1 (the output layer has 2 units)",
                e.getMessage());
    }

    @Test
    void aFeatureThatIsNotFiniteIsBadDataWithItsRowNotADivergence() {
        Block bad = TestData.block(NETWORK, 10, 2);
        bad.features()[4 * 6 + 1] = Double.NaN; // row 7, feature 1
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> new SparkTrainer(TrainingConfig.of(1, 0.1)).fit(LocalSpark.frame(bad, 5, 5), NETWORK));
        assertEquals("row 2 of partition 1: feature 1 is NaN; expected a finite number", e.getMessage());
    }

    @Test
    void divergenceStopsTraining() {
        Network regression = Network.parse("relu(16)|identity(1)", 4, Loss.SQUARED_ERROR);
        Block data = TestData.block(regression, 30, 3);
        for (int i = 0; i < data.targets().length; i++) {
            data.targets()[i] *= 1e150;
        }
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> new SparkTrainer(TrainingConfig.of(20, 100.0)).fit(LocalSpark.frame(data, 30), regression));
        assertTrue(e.getMessage().contains("smaller learning rate"), e.getMessage());
    }
}
