package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.storage.BlockManagerId;
import org.junit.jupiter.api.Test;
import scala.Option;

/** How {@link BlockPlacement} spreads P cached partitions over E executors. */
class BlockPlacementTest {
    private static final BlockManagerId A = BlockManagerId.apply("0", "10.0.0.1", 7001, Option.empty());
    private static final BlockManagerId B = BlockManagerId.apply("1", "10.0.0.2", 7002, Option.empty());
    private static final BlockManagerId C = BlockManagerId.apply("2", "10.0.0.2", 7003, Option.empty());

    private static final String AT_A = "executor_10.0.0.1_0";
    private static final String AT_B = "executor_10.0.0.2_1";
    private static final String AT_C = "executor_10.0.0.2_2";

    @Test
    void aFreshPlacementDealsThePartitionsOutEvenly() {
        assertArrayEquals(new String[] {AT_A, AT_B, AT_A, AT_B, AT_A},
                BlockPlacement.assign(List.of(A, B), new BlockManagerId[5]));
        assertArrayEquals(new String[3], BlockPlacement.assign(List.of(), new BlockManagerId[3]), "no executor yet");
    }

    @Test
    void aReplacementExecutorGetsItsShareAndTheRestStaysPut() {
        // Executor 1 died; its partitions were rebuilt on executor 0; executor 2 replaces it.
        BlockManagerId[] cached = {A, A, A, A};
        assertFalse(BlockPlacement.balanced(List.of(A, C), cached));
        assertArrayEquals(new String[] {AT_A, AT_A, AT_C, AT_C}, BlockPlacement.assign(List.of(A, C), cached));
        // 3:1, as Spark's own scheduling often leaves it: one partition moves.
        BlockManagerId[] uneven = {A, B, A, A};
        assertArrayEquals(new String[] {AT_A, AT_B, AT_A, AT_B}, BlockPlacement.assign(List.of(A, B), uneven));
    }

    @Test
    void balancedMeansEveryPartitionCachedOnALiveExecutorAndShareWithinOne() {
        assertTrue(BlockPlacement.balanced(List.of(A, B), new BlockManagerId[] {A, B, B, A}));
        assertTrue(BlockPlacement.balanced(List.of(A, B), new BlockManagerId[] {A, B, B}));
        assertFalse(BlockPlacement.balanced(List.of(A, B), new BlockManagerId[] {A, B, null, A}), "one not cached");
        assertFalse(BlockPlacement.balanced(List.of(A, C), new BlockManagerId[] {A, B, A, C}), "one on a lost executor");
        assertTrue(BlockPlacement.balanced(List.of(A, B, C), new BlockManagerId[] {A, A, B, B, C, C, A}));
        assertFalse(BlockPlacement.balanced(List.of(A, B, C), new BlockManagerId[] {A, A, A, B, B, C}));
    }
}
