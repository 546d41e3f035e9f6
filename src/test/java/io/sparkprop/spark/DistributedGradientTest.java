package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
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
                NETWORK, 4);
        assertEquals(partitionSizes.length, blocks.getNumPartitions());
        GradientSum actual = new DistributedGradient(blocks, NETWORK, depth).compute(params);

        assertEquals(expected.count(), actual.count());
        assertEquals(expected.correct(), actual.correct());
        assertRelativelyEqual(expected.loss(), actual.loss(), "loss");
        for (int i = 0; i < params.length; i++) {
            assertRelativelyEqual(expected.gradient()[i], actual.gradient()[i], "gradient " + i);
        }
    }

    static void assertRelativelyEqual(double expected, double actual, String what) {
        double scale = Math.max(Math.max(Math.abs(expected), Math.abs(actual)), 1e-300);
        assertTrue(Math.abs(expected - actual) <= 1e-10 * scale,
                what + ": expected " + expected + " but was " + actual);
    }
}
