package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sparkprop.engine.MiniBatchPlan;
import org.junit.jupiter.api.Test;

class PermutationsTest {
    @Test
    void anEpochsShuffleIsComputedOnceAndIsThePlansOwn() {
        MiniBatchPlan plan = new MiniBatchPlan(11, 1000, 64, 2);
        int[] first = Permutations.of(plan, 3, 1, 480);
        assertArrayEquals(plan.permutation(3, 1, 480), first);
        assertSame(first, Permutations.of(plan, 3, 1, 480), "reused by the next step");
        assertNotSame(first, Permutations.of(plan, 4, 1, 480), "another epoch shuffles again");
        assertArrayEquals(plan.permutation(3, 1, 480), Permutations.of(new MiniBatchPlan(11, 1000, 64, 2), 3, 1, 480));
        for (int step = 0; step < plan.stepsPerEpoch(); step++) {
            assertArrayEquals(plan.rows(3, step, 1, 480), plan.slice(first, step, 1));
        }
    }
}
