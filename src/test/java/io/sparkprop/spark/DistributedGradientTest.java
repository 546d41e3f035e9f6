package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.MulticlassMetrics;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.TestData;
import io.sparkprop.engine.Workspace;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DistributedGradientTest {
    private static final Network NETWORK =
            Network.parse("tanh(9)|sigmoid(7)|softmax(4)", 5, Loss.CATEGORICAL_CROSS_ENTROPY);

    @ParameterizedTest(name = "partitions {0}, depth {1}")
    @CsvSource({
        "'37', 1",
        "'10,0,27', 2",
        "'3,8,0,1,12,7,6', 2",
        "'3,8,0,1,12,7,6', 3",
        "'3,8,0,1,12,7,6', 1",
    })
    void sparkGradientSumEqualsTheEngineOverAllRowsInOneBatch(String sizes, int depth) throws Exception {
        int[] partitionSizes = java.util.Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray();
        Block all = TestData.block(NETWORK, 37, 3);
        double[] params = Initializer.initialize(NETWORK, 5);

        GradientSum expected = new GradientSum(params.length);
        new Backprop(NETWORK).accumulate(params, all, new Workspace(NETWORK, 37), expected);

        JavaRDD<Block> blocks = Blocks.fromDataset(LocalSpark.frame(all, partitionSizes), "features", "label",
                NETWORK, 4, Precision.FLOAT64, null);
        assertEquals(partitionSizes.length, blocks.getNumPartitions());
        GradientSum actual = new DistributedGradient(blocks, NETWORK, depth).compute(params);

        assertEquals(expected.count(), actual.count());
        assertEquals(expected.correct(), actual.correct());
        assertRelativelyEqual(expected.loss(), actual.loss(), "loss");
        for (int i = 0; i < params.length; i++) {
            assertRelativelyEqual(expected.gradient()[i], actual.gradient()[i], "gradient " + i);
        }

        MulticlassMetrics evaluated = assertInstanceOf(MulticlassMetrics.class,
                new DistributedGradient(blocks, NETWORK, depth).evaluate(params));
        MulticlassMetrics oneBatch = assertInstanceOf(MulticlassMetrics.class,
                new Backprop(NETWORK).evaluate(params, java.util.List.of(all).iterator()));
        assertEquals(expected.count(), evaluated.count());
        assertEquals(expected.accuracy(), evaluated.accuracy());
        assertArrayEquals(oneBatch.confusionMatrix(), evaluated.confusionMatrix());
        assertRelativelyEqual(expected.loss() / 37, evaluated.meanLoss(), "loss without gradient");
        assertRelativelyEqual(oneBatch.logLoss(), evaluated.logLoss(), "log loss");
    }

    @ParameterizedTest(name = "partitions {0}")
    @CsvSource({"'37'", "'3,8,0,1,12,7,6'"})
    void float32SparkSumEqualsTheFloat32EngineOverTheSameBlocks(String sizes) throws Exception {
        int[] partitionSizes = java.util.Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray();
        Block all = TestData.block(NETWORK, 37, 3);
        double[] params = Initializer.initialize(NETWORK, 5);

        // The reference: the same float32 blocks (4 rows at most, never across partitions), one by one.
        GradientSum expected = new GradientSum(params.length);
        Backprop engine = new Backprop(NETWORK);
        Workspace ws = new Workspace(NETWORK, 4);
        int start = 0;
        for (int size : partitionSizes) {
            for (int from = start; from < start + size; from += 4) {
                int rows = Math.min(4, start + size - from);
                engine.accumulate(params, new Block(rows,
                        toFloat(java.util.Arrays.copyOfRange(all.features(), from * 5, (from + rows) * 5)),
                        toFloat(java.util.Arrays.copyOfRange(all.targets(), from * 4, (from + rows) * 4))), ws, expected);
            }
            start += size;
        }
        JavaRDD<Block> blocks = Blocks.fromDataset(LocalSpark.frame(all, partitionSizes), "features", "label",
                NETWORK, 4, Precision.FLOAT32, null);
        GradientSum actual = new DistributedGradient(blocks, NETWORK, 2).compute(params);
        assertEquals(expected.count(), actual.count());
        assertRelativelyEqual(expected.loss(), actual.loss(), "loss");
        for (int i = 0; i < params.length; i++) {
            assertRelativelyEqual(expected.gradient()[i], actual.gradient()[i], "gradient " + i);
        }
    }

    private static float[] toFloat(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }

    static void assertRelativelyEqual(double expected, double actual, String what) {
        double scale = Math.max(Math.max(Math.abs(expected), Math.abs(actual)), 1e-300);
        assertTrue(Math.abs(expected - actual) <= 1e-10 * scale,
                what + ": expected " + expected + " but was " + actual);
    }
}
