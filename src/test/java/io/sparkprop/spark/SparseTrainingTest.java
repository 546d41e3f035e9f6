package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.SparseFeatures;
import io.sparkprop.io.DataFormat;
import io.sparkprop.io.DataLoader;
import io.sparkprop.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.util.SizeEstimator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag$;

/**
 * Training on a sparse LIBSVM file, which Spark caches as CSR blocks, against training on the same
 * rows as dense vectors.
 */
class SparseTrainingTest {
    private static final int FEATURES = 60;
    private static final Network NETWORK =
            Network.parse("tanh(7)|relu(5)|softmax(3)", FEATURES, Loss.CATEGORICAL_CROSS_ENTROPY);

    @TempDir
    static Path dir;
    private static Dataset<Row> sparse;
    private static Dataset<Row> dense;

    /** 150 rows of 60 features with 0 to 6 non-zeros each (the last feature in row 1, so the width is 60). */
    @BeforeAll
    static void data() throws IOException {
        SplittableRandom random = new SplittableRandom(17);
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < 150; r++) {
            StringBuilder line = new StringBuilder().append(random.nextInt(3));
            int column = 0;
            int count = random.nextInt(7);
            for (int k = 0; k < count; k++) {
                column += 1 + random.nextInt(FEATURES / 6);
                line.append(' ').append(column).append(':').append(random.nextInt(-200, 200) / 100.0);
            }
            if (r == 1) {
                line.append(' ').append(FEATURES).append(":1.5");
            }
            lines.add(line.toString());
        }
        // Two part files, read as two partitions: the runs below keep that partitioning, as
        // repartitioning (which sorts rows by their bytes before dealing them out) would put other
        // rows into each partition of the sparse and the dense frame.
        Path data = Files.createDirectories(dir.resolve("train.libsvm"));
        Files.write(data.resolve("part-00000"), lines.subList(0, 75));
        Files.write(data.resolve("part-00001"), lines.subList(75, 150));
        sparse = new DataLoader(LocalSpark.session()).load(data.toString(), DataFormat.LIBSVM, Optional.empty())
                .frame();
        assertEquals(2, sparse.rdd().getNumPartitions());
        dense = sparse.map((MapFunction<Row, Row>) row -> RowFactory.create(((Vector) row.get(0)).toDense(),
                row.get(1)), Encoders.row(DataLoader.SCHEMA));
    }

    private static List<Block> blocks(Dataset<Row> frame, Precision precision) {
        return Blocks.fromDataset(frame, "features", "label", NETWORK, 32, precision, null).collect();
    }

    @Test
    void libsvmRowsAreCachedAsCsrBlocksAndDenseRowsAsDenseOnes() {
        assertTrue(sparse.first().get(0) instanceof SparseVector);
        List<Block> csr = blocks(sparse, Precision.FLOAT64);
        assertEquals(6, csr.size()); // 32 + 32 + 11 rows in each partition
        assertTrue(csr.stream().allMatch(Block::isSparse));
        assertEquals(150, csr.stream().mapToInt(Block::rows).sum());
        assertTrue(blocks(sparse, Precision.FLOAT32).stream().allMatch(b -> b.isSparse()
                && b.precision() == Precision.FLOAT32));
        assertFalse(blocks(dense, Precision.FLOAT64).stream().anyMatch(Block::isSparse));
        // A standardisation that centres makes every block dense.
        assertFalse(Blocks.fromDataset(sparse, "features", "label", NETWORK, 32, Precision.FLOAT64,
                new io.sparkprop.engine.Standardization(new double[FEATURES], ones())).collect().stream()
                .anyMatch(Block::isSparse));
        assertTrue(Blocks.sparseInput(sparse, "features"));
        assertFalse(Blocks.sparseInput(dense, "features"));
    }

    private static double[] ones() {
        double[] ones = new double[FEATURES];
        java.util.Arrays.fill(ones, 1.0);
        return ones;
    }

    private static void assertSameWeights(double[] expected, double[] actual, double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(Math.abs(expected[i]), Math.abs(actual[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance * scale,
                    "weight " + i + ": dense " + expected[i] + ", sparse " + actual[i]);
        }
    }

    @Test
    void fullBatchTrainingOnCsrBlocksGivesTheDenseWeights() {
        TrainingConfig config = new TrainingConfig(4, 0.5, 9, 0, 32, 2);
        TrainingResult fromDense = new SparkTrainer(config).fit(dense, NETWORK);
        TrainingResult fromSparse = new SparkTrainer(config).fit(sparse, NETWORK);
        assertSameWeights(fromDense.model().parameters(), fromSparse.model().parameters(), 1e-10);
        for (int e = 0; e < 4; e++) {
            DistributedGradientTest.assertRelativelyEqual(fromDense.history().get(e).loss(),
                    fromSparse.history().get(e).loss(), "loss of epoch " + (e + 1));
        }
        assertEquals(150, fromSparse.rows());
        assertEquals(fromDense.training().count(), fromSparse.training().count());
    }

    @Test
    void miniBatchesGatheredFromCsrBlocksGiveTheDenseWeights() {
        TrainingConfig config = new TrainingConfig(3, 0.01, 5, 0, 16, 2).withBatchSize(24)
                .withOptimizer(new Adam());
        double[] fromDense = new SparkTrainer(config).fit(dense, NETWORK).model().parameters();
        double[] fromSparse = new SparkTrainer(config).fit(sparse, NETWORK).model().parameters();
        assertSameWeights(fromDense, fromSparse, 1e-10);
        // Bit for bit reproducible, as dense training is.
        assertArrayEquals(fromSparse, new SparkTrainer(config).fit(sparse, NETWORK).model().parameters());
    }

    @Test
    void standardisedSparseTrainingFoldsTheCentringAndGivesTheDenseWeights() {
        TrainingConfig config = new TrainingConfig(4, 0.3, 9, 0, 32, 2).withStandardize(true);
        TrainingResult fromDense = new SparkTrainer(config).fit(dense, NETWORK);
        TrainingResult fromSparse = new SparkTrainer(config).fit(sparse, NETWORK);
        assertArrayEquals(fromDense.model().standardization().orElseThrow().mean(),
                fromSparse.model().standardization().orElseThrow().mean(), 1e-14);
        assertArrayEquals(fromDense.model().standardization().orElseThrow().scale(),
                fromSparse.model().standardization().orElseThrow().scale(), 1e-14);
        assertSameWeights(fromDense.model().parameters(), fromSparse.model().parameters(), 1e-10);
        DistributedGradientTest.assertRelativelyEqual(fromDense.training().meanLoss(),
                fromSparse.training().meanLoss(), "final loss");
    }

    @Test
    void barrierStepsOverStandardisedCsrBlocksAreBitwiseTheJobPerStepRun() {
        TrainingConfig config = new TrainingConfig(3, 0.01, 5, 0, 16, 2).withBatchSize(24)
                .withOptimizer(new Adam()).withStandardize(true);
        assertArrayEquals(new SparkTrainer(config).withSync(SyncMode.JOBS).fit(sparse, NETWORK).model().parameters(),
                new SparkTrainer(config).withSync(SyncMode.BARRIER).fit(sparse, NETWORK).model().parameters());
    }

    @Test
    void aStandardisedSparseRunStoppedMidEpochResumesToTheSameBits() {
        TrainingConfig config = new TrainingConfig(3, 0.01, 5, 0, 16, 2).withBatchSize(40)
                .withOptimizer(new Adam()).withStandardize(true);
        TrainingResult reference = new SparkTrainer(config).fit(sparse, NETWORK);
        Path directory = dir.resolve("checkpoints");
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        // Stopped with one job per step; the run resumed below takes barrier steps: the result is the same.
        SparkTrainer stopped = new SparkTrainer(config).withSync(SyncMode.JOBS).withCheckpoints(new Checkpointing(directory.toString(),
                Checkpointing.Interval.parse("2s"), 2, Checkpointing.Resume.NEVER), List.of())
                .withStopRequest(() -> asked.incrementAndGet() >= 7); // before the 3rd step of epoch 2
        org.junit.jupiter.api.Assertions.assertThrows(TrainingStoppedException.class, () -> stopped.fit(sparse, NETWORK));
        TrainingResult resumed = new SparkTrainer(config).withCheckpoints(new Checkpointing(directory.toString(),
                Checkpointing.Interval.parse("2s"), 2, Checkpointing.Resume.IF_PRESENT), List.of()).fit(sparse, NETWORK);
        assertArrayEquals(reference.model().parameters(), resumed.model().parameters(), "weights, to the bit");
        assertArrayEquals(reference.model().standardization().orElseThrow().mean(),
                resumed.model().standardization().orElseThrow().mean());
        assertEquals(reference.history().get(2).loss(), resumed.history().get(2).loss());
    }

    @Test
    void float32TrainingOnCsrBlocksStaysWithinFloat32OfTheDenseRun() {
        TrainingConfig config = new TrainingConfig(3, 0.5, 9, 0, 32, 2).withPrecision(Precision.FLOAT32);
        double[] fromDense = new SparkTrainer(config).fit(dense, NETWORK).model().parameters();
        double[] fromSparse = new SparkTrainer(config).fit(sparse, NETWORK).model().parameters();
        assertArrayEquals(fromDense, fromSparse, 1e-5);
    }

    @Test
    void evaluationAndScoringOfSparseRowsEqualTheDenseOnes() {
        TrainingConfig config = new TrainingConfig(2, 0.5, 9, 0, 32, 2).withStandardize(true);
        Model model = new SparkTrainer(config).fit(sparse, NETWORK).model();
        for (Model m : List.of(model, new Model(NETWORK, model.parameters()))) {
            Metrics fromDense = new ModelEvaluator(m, 32, 2).evaluate(dense);
            Metrics fromSparse = new ModelEvaluator(m, 32, 2).evaluate(sparse);
            DistributedGradientTest.assertRelativelyEqual(fromDense.meanLoss(), fromSparse.meanLoss(), "loss");
            Scorer scorer = new Scorer(m, 32);
            List<Row> denseRows = scorer.transform(dense, "features", Scorer.Columns.DEFAULT).collectAsList();
            List<Row> sparseRows = scorer.transform(sparse, "features", Scorer.Columns.DEFAULT).collectAsList();
            assertEquals(150, sparseRows.size());
            for (int r = 0; r < 150; r++) {
                assertArrayEquals(((Vector) denseRows.get(r).getAs("probability")).toArray(),
                        ((Vector) sparseRows.get(r).getAs("probability")).toArray(), 1e-12, "row " + r);
                assertEquals(denseRows.get(r).<Double>getAs("prediction"), sparseRows.get(r).<Double>getAs("prediction"));
            }
        }
    }

    @Test
    void csrBlocksPassThroughKryoAndCostMemoryInProportionToTheirNonZeros() {
        // 1,024 rows of 100,000 features, 30 and then 60 non-zeros a row: 800 MiB as dense float64.
        long[] estimated = new long[2];
        for (int t = 0; t < 2; t++) {
            SplittableRandom random = new SplittableRandom(t);
            SparseFeatures.Builder x = new SparseFeatures.Builder(100_000, Precision.FLOAT64, 1024, 0);
            for (int r = 0; r < 1024; r++) {
                for (int k = 0; k < 30 * (t + 1); k++) {
                    x.add(random.nextInt(100_000), random.nextDouble());
                }
                x.endRow();
            }
            Block block = new Block(x.build(), new double[1024 * 2], null);
            estimated[t] = SizeEstimator.estimate(block);
            long arrays = block.bytes();
            assertTrue(estimated[t] >= arrays && estimated[t] < arrays + 1024,
                    "Spark estimates " + estimated[t] + " bytes for " + arrays + " bytes of arrays");

            SerializerInstance kryo = LocalSpark.session().sparkContext().env().serializer().newInstance();
            Block back = kryo.deserialize(kryo.serialize(block, ClassTag$.MODULE$.apply(Block.class)),
                    ClassTag$.MODULE$.apply(Block.class));
            assertArrayEquals(block.sparseFeatures().indices(), back.sparseFeatures().indices());
            assertArrayEquals(block.sparseFeatures().values(), back.sparseFeatures().values());
            assertArrayEquals(block.sparseFeatures().rowStart(), back.sparseFeatures().rowStart());
        }
        double perNonZero = (estimated[1] - estimated[0]) / (1024.0 * 30);
        assertEquals(12.0, perNonZero, 0.1, "bytes per added non-zero");
    }
}
