package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.ClassificationMetrics;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.TestData;
import io.sparkprop.io.InvalidDataException;
import io.sparkprop.optim.Adam;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.UpdateRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Per-row weights through {@link SparkTrainer} and {@link ModelEvaluator}: a weight w counts like w copies. */
class WeightedTrainingTest {
    private static final Network NETWORK =
            Network.parse("sigmoid(8)|tanh(6)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final StructType WEIGHTED = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("w", DataTypes.DoubleType, true, Metadata.empty())});
    private static final Block DATA = TestData.block(NETWORK, 40, 17);
    /** Integer weights 0..3, so the duplicated data has every row weight-many times. */
    private static final double[] WEIGHTS = weights(40);

    @Test
    void aWeightedFullBatchFitEqualsAFitOnRowsDuplicatedWeightManyTimes() {
        TrainingConfig config = new TrainingConfig(5, 0.5, 9, 0, 4, 2);
        TrainingResult weighted = new SparkTrainer(config).withColumns("features", "label", "w")
                .fit(weighted(DATA, WEIGHTS, 3), NETWORK);
        TrainingResult duplicated = new SparkTrainer(config).fit(duplicated(DATA, WEIGHTS, 3), NETWORK);
        assertArrayEquals(duplicated.model().parameters(), weighted.model().parameters(), 1e-10);
        for (int e = 0; e < 5; e++) {
            assertEquals(duplicated.history().get(e).loss(), weighted.history().get(e).loss(), 1e-12);
            assertEquals(duplicated.history().get(e).accuracy(), weighted.history().get(e).accuracy(), 1e-12);
        }
        assertEquals(40, weighted.rows(), "rows are rows, not weight");
        assertEquals(duplicated.training().weight(), weighted.training().weight());
        assertEquals(duplicated.finalLoss(), weighted.finalLoss(), 1e-12);
        assertEquals(duplicated.finalAccuracy(), weighted.finalAccuracy(), 1e-12);
    }

    @Test
    void float32WeightedTrainingTracksTheDuplicatedRows() {
        TrainingConfig config = new TrainingConfig(5, 0.5, 9, 0, 4, 2).withPrecision(Precision.FLOAT32);
        double[] weighted = new SparkTrainer(config).withColumns("features", "label", "w")
                .fit(weighted(DATA, WEIGHTS, 3), NETWORK).model().parameters();
        double[] duplicated = new SparkTrainer(config).fit(duplicated(DATA, WEIGHTS, 3), NETWORK).model().parameters();
        assertArrayEquals(duplicated, weighted, 1e-5);
    }

    @Test
    void aWeightedMiniBatchRunIsDeterministicAndTheWeightsMatter() {
        UpdateRule adam = new UpdateRule(new Adam(), new LearningRateSchedule.Cosine(0.001), 0.01, 0.5);
        TrainingConfig config = new TrainingConfig(3, 0.05, 9, 0, 4, 2).withBatchSize(8).withUpdate(adam);
        SparkTrainer trainer = new SparkTrainer(config).withColumns("features", "label", "w");
        double[] first = trainer.fit(weighted(DATA, WEIGHTS, 3), NETWORK).model().parameters();
        double[] second = trainer.fit(weighted(DATA, WEIGHTS, 3), NETWORK).model().parameters();
        assertArrayEquals(first, second); // every bit
        double[] ones = new double[40];
        Arrays.fill(ones, 1.0);
        double[] unweighted = new SparkTrainer(config).fit(weighted(DATA, ones, 3), NETWORK).model().parameters();
        assertFalse(Arrays.equals(first, unweighted), "the weights change the steps");
        double[] allOnes = trainer.fit(weighted(DATA, ones, 3), NETWORK).model().parameters();
        assertArrayEquals(unweighted, allOnes, "weights of 1 change no bit");
    }

    @Test
    void validationAndEvaluationAreWeightedLikeDuplicatedRows() {
        TrainingConfig config = new TrainingConfig(2, 0.5, 9, 0, 4, 2);
        Block validation = TestData.block(NETWORK, 20, 5);
        double[] validationWeights = weights(20);
        TrainingResult weighted = new SparkTrainer(config).withColumns("features", "label", "w")
                .withValidation(weighted(validation, validationWeights, 2)).fit(weighted(DATA, WEIGHTS, 3), NETWORK);
        TrainingResult duplicated = new SparkTrainer(config).withValidation(duplicated(validation, validationWeights, 2))
                .fit(duplicated(DATA, WEIGHTS, 3), NETWORK);
        assertMetricsEqual(duplicated.validation(), weighted.validation());
        assertMetricsEqual(duplicated.history().get(1).validation(), weighted.history().get(1).validation());

        ModelEvaluator evaluator = new ModelEvaluator(weighted.model(), 4, 2);
        assertMetricsEqual(evaluator.evaluate(duplicated(validation, validationWeights, 2)),
                evaluator.evaluate(weighted(validation, validationWeights, 2), "features", "label", "w"));
    }

    @Test
    void standardisationUsesTheWeightedMeans() {
        TrainingConfig config = new TrainingConfig(1, 0.5, 9, 0, 4, 2).withStandardize(true);
        double[] weighted = new SparkTrainer(config).withColumns("features", "label", "w")
                .fit(weighted(DATA, WEIGHTS, 3), NETWORK).model().standardization().orElseThrow().mean();
        double[] duplicated = new SparkTrainer(config).fit(duplicated(DATA, WEIGHTS, 3), NETWORK).model()
                .standardization().orElseThrow().mean();
        assertArrayEquals(duplicated, weighted, 1e-12);
    }

    @Test
    void aWeightThatIsNotAFiniteNumberAtLeastZeroIsBadDataWithItsRow() {
        for (Double bad : new Double[] {-1.0, Double.NaN, Double.POSITIVE_INFINITY, null}) {
            double[] w = WEIGHTS.clone();
            Dataset<Row> frame = weighted(DATA, w, 3, 20, bad); // partition 1 holds rows 13..25
            for (boolean standardize : new boolean[] {false, true}) {
                TrainingConfig config = TrainingConfig.of(1, 0.1).withStandardize(standardize);
                InvalidDataException e = assertThrows(InvalidDataException.class,
                        () -> new SparkTrainer(config).withColumns("features", "label", "w").fit(frame, NETWORK));
                String found = bad == null ? "missing" : String.valueOf(bad);
                assertEquals("row 8 of partition 1: weight is " + found + "; expected a finite number >= 0",
                        e.getMessage());
            }
        }
    }

    @Test
    void trainingDataWhoseWeightsAreAllZeroIsRefused() {
        for (boolean standardize : new boolean[] {false, true}) {
            TrainingConfig config = TrainingConfig.of(1, 0.1).withStandardize(standardize);
            InvalidDataException e = assertThrows(InvalidDataException.class,
                    () -> new SparkTrainer(config).withColumns("features", "label", "w")
                            .fit(weighted(DATA, new double[40], 3), NETWORK));
            assertEquals("the training data's weights (column w) are all 0; expected some rows of positive weight",
                    e.getMessage());
        }
    }

    private static void assertMetricsEqual(Metrics expected, Metrics actual) {
        assertEquals(expected.weight(), actual.weight());
        assertEquals(expected.meanLoss(), actual.meanLoss(), 1e-12);
        ClassificationMetrics e = (ClassificationMetrics) expected;
        ClassificationMetrics a = (ClassificationMetrics) actual;
        assertEquals(e.accuracy(), a.accuracy(), 1e-12);
        assertEquals(e.logLoss(), a.logLoss(), 1e-12);
        assertEquals(e.macroF1(), a.macroF1(), 1e-12);
    }

    private static double[] weights(int rows) {
        double[] w = new double[rows];
        for (int r = 0; r < rows; r++) {
            w[r] = (r * 7 + 3) % 4;
        }
        return w;
    }

    private static Dataset<Row> weighted(Block data, double[] weights, int partitions) {
        return weighted(data, weights, partitions, -1, null);
    }

    /** The block's rows with a weight column "w", row {@code badRow}'s weight replaced by {@code bad}. */
    private static Dataset<Row> weighted(Block data, double[] weights, int partitions, int badRow, Double bad) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < data.rows(); r++) {
            rows.add(RowFactory.create(features(data, r), label(data, r), r == badRow ? bad : (Double) weights[r]));
        }
        return frame(rows, WEIGHTED, partitions);
    }

    private static Dataset<Row> duplicated(Block data, double[] weights, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < data.rows(); r++) {
            for (int copy = 0; copy < weights[r]; copy++) {
                rows.add(RowFactory.create(features(data, r), label(data, r)));
            }
        }
        return frame(rows, LocalSpark.SCHEMA, partitions);
    }

    /** {@code rows} in {@code partitions} partitions of consecutive rows, as even as can be, in order. */
    private static Dataset<Row> frame(List<Row> rows, StructType schema, int partitions) {
        List<List<Row>> slices = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            slices.add(new ArrayList<>(rows.subList(p * rows.size() / partitions, (p + 1) * rows.size() / partitions)));
        }
        // The rows travel in the closure (Java serialization), not as task data Kryo would need registered.
        return LocalSpark.session().createDataFrame(LocalSpark.context()
                .parallelize(java.util.stream.IntStream.range(0, partitions).boxed().toList(), partitions)
                .mapPartitions(it -> slices.get(it.next()).iterator(), true), schema);
    }

    private static Object features(Block data, int r) {
        return Vectors.dense(Arrays.copyOfRange(data.features(), r * data.inputs(), (r + 1) * data.inputs()));
    }

    private static double label(Block data, int r) {
        return io.sparkprop.engine.Backprop.argMax(data.targets(), r * data.outputs(), data.outputs());
    }
}
