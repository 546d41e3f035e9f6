package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MiniBatchPlanTest {
    private static final int[] PARTITIONS = {30, 0, 7, 63};

    @Test
    void anEpochVisitsEveryRowOfEveryPartitionExactlyOnce() {
        MiniBatchPlan plan = new MiniBatchPlan(3, 100, 16, PARTITIONS.length);
        assertEquals(7, plan.stepsPerEpoch()); // ⌈100 / 16⌉
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int p = 0; p < PARTITIONS.length; p++) {
                int[] visits = new int[PARTITIONS[p]];
                for (int step = 0; step < plan.stepsPerEpoch(); step++) {
                    for (int row : plan.rows(epoch, step, p, PARTITIONS[p])) {
                        visits[row]++;
                    }
                }
                for (int v : visits) {
                    assertEquals(1, v);
                }
            }
        }
    }

    @Test
    void eachPartitionGivesItsProportionalShareToEveryStep() {
        MiniBatchPlan plan = new MiniBatchPlan(3, 100, 16, PARTITIONS.length);
        for (int step = 0; step < plan.stepsPerEpoch(); step++) {
            int total = 0;
            for (int p = 0; p < PARTITIONS.length; p++) {
                int share = plan.rows(0, step, p, PARTITIONS[p]).length;
                assertEquals(share, plan.shareSize(step, p, PARTITIONS[p]), "the size without the shuffle");
                double expected = PARTITIONS[p] / 7.0;
                assertTrue(Math.abs(share - expected) < 1, "partition " + p + " step " + step + ": " + share);
                total += share;
            }
            assertTrue(total >= 13 && total <= 16, "step " + step + " has " + total + " rows");
        }
    }

    @Test
    void theShuffleIsAFunctionOfSeedEpochAndPartition() {
        MiniBatchPlan plan = new MiniBatchPlan(3, 100, 16, PARTITIONS.length);
        assertArrayEquals(plan.rows(1, 2, 3, 63), new MiniBatchPlan(3, 100, 16, 4).rows(1, 2, 3, 63));
        assertFalse(Arrays.equals(plan.rows(0, 2, 3, 63), plan.rows(1, 2, 3, 63)), "reshuffled per epoch");
        assertFalse(Arrays.equals(plan.rows(0, 2, 3, 63), new MiniBatchPlan(4, 100, 16, 4).rows(0, 2, 3, 63)),
                "the seed matters");
    }

    @Test
    void smallPartitionsAreSpreadOverTheSteps() {
        // 10 partitions of 2 rows, batch 4: 5 steps. Without the phase every partition would put its
        // rows on the same two steps, leaving three steps empty.
        MiniBatchPlan plan = new MiniBatchPlan(1, 20, 4, 10);
        for (int step = 0; step < 5; step++) {
            int total = 0;
            for (int p = 0; p < 10; p++) {
                total += plan.rows(0, step, p, 2).length;
            }
            assertEquals(4, total, "step " + step);
        }
    }

    @Test
    void rejectsImpossiblePlans() {
        assertThrows(IllegalArgumentException.class, () -> new MiniBatchPlan(1, 10, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new MiniBatchPlan(1, 0, 4, 2));
        MiniBatchPlan plan = new MiniBatchPlan(1, 10, 4, 2);
        assertThrows(IllegalArgumentException.class, () -> plan.rows(0, 3, 0, 5));
    }
}
