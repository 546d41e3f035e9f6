package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import org.junit.jupiter.api.Test;

class StepCostModelTest {
    private static final Network FASHION = Network.of(new int[] {784, 256, 128, 10}, Activation.RELU,
            Activation.SOFTMAX, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final StepCostModel MODEL = new StepCostModel(25, 1.25e9, 0.020, 0.002);

    @Test
    void aFullBatchStepOfFashionMnistByHand() {
        // 235,146 parameters = 1,881,168 bytes. GEMM work: 2 · 60,000 · (2 · 234,752 weights + 34,048
        // propagated) = 6.042624e10 FLOP, over 2 cores at 25 GFLOP/s = 1.2085248 s. Broadcast to 2
        // executors: 2 · 1,881,168 / 1.25e9 = 3.0098688 ms; 4 partitions, depth 2: scale 2, 4 merges on
        // the critical path = 6.0197376 ms.
        StepCostModel.Estimate e = MODEL.estimate(FASHION, 60_000, 2, 2, 4, 2);
        assertEquals(1.2085248, e.compute(), 1e-12);
        assertEquals(0.0030098688, e.broadcast(), 1e-15);
        assertEquals(0.0060197376, e.aggregation(), 1e-15);
        assertEquals(0.020 + 0.0030098688 + 0.0060197376, e.communication(), 1e-15);
        assertFalse(e.communicationDominates());
    }

    @Test
    void smallStepsOnManyExecutorsAreDominatedByCommunication() {
        // 256 rows per step spread over 256 cores: 2.58e8 FLOP / 6.4e12 FLOP/s = 40 µs of compute, against
        // 256 broadcasts of 1.9 MB at 1.25 GB/s = 385 ms.
        StepCostModel.Estimate e = MODEL.estimate(FASHION, 256, 256, 256, 256, 2);
        assertTrue(e.communicationDominates());
        assertEquals(256 * 1_881_168 / 1.25e9, e.broadcast(), 1e-12);
        assertEquals(32 * 1_881_168 / 1.25e9, e.aggregation(), 1e-12, "two levels of 16 merges");
    }

    @Test
    void barrierStepsPayTheJobOncePerEpochAndEverySumTwiceThroughTheDriver() {
        // Fashion-MNIST's recipe in local[2]: batch 1024, 59 steps per barrier job, 2 partitions. Exchange:
        // 2 · 2 · 1,881,168 / 1.25e9 = 6.0197376 ms; sync 2 ms; the job's 20 ms over 59 steps.
        StepCostModel.Estimate e = MODEL.estimate(FASHION, 1024, 2, 1, 2, 2, 59);
        assertEquals(0.0060197376, e.exchange(), 1e-15);
        assertEquals(0.0060197376 + 0.002 + 0.020 / 59, e.barrierCommunication(), 1e-15);
        assertTrue(e.barrierCheaper());
        // 256 partitions: every sum in and the merged sum out to each task costs more than the tree.
        assertFalse(MODEL.estimate(FASHION, 256, 256, 256, 256, 2, 100).barrierCheaper());
    }
}
