package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.TestData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryUseTest {
    private static final long MIB = 1 << 20;

    @Test
    void aLocalRunReportsItsJvmsPeakAndTheCachedBlocksInMemory() {
        Network network = Network.parse("relu(8)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
        Block all = TestData.block(network, 500, 3);
        TrainingResult result = new SparkTrainer(TrainingConfig.of(2, 0.1))
                .fit(LocalSpark.frame(all, 250, 250), network);
        MemoryUse memory = result.memory();
        assertTrue(memory.tasksInDriver());
        assertEquals(List.of(), memory.executors());
        assertTrue(memory.driverPeakHeap() > 0, memory.describe());
        assertTrue(memory.driverMaxHeap() < 0 || memory.driverPeakHeap() <= memory.driverMaxHeap(), memory.describe());
        // 500 rows of 4 features and 3 one-hot labels in float64: about 28 kB of arrays.
        assertTrue(memory.cachedInMemory() > 20_000 && memory.cachedInMemory() < 200_000, memory.describe());
        assertEquals(0, memory.cachedOnDisk());
        assertEquals("peak heap " + String.format("%,d MiB", memory.driverPeakHeap() >> 20), memory.peakHeaps());
        assertEquals(memory.driverPeakHeap(),
                ((Map<?, ?>) result.record("test").training().get("memory")).get("driverPeakHeapBytes"));
    }

    @Test
    void aClusterRunNamesTheDriverAndTheLargestExecutor() {
        MemoryUse memory = new MemoryUse(312 * MIB, 95 * MIB, 1024 * MIB, false, List.of(
                new MemoryUse.ExecutorMemory("0", "10.0.0.1:4040", 845 * MIB, 96 * MIB, 434 * MIB),
                new MemoryUse.ExecutorMemory("1", "10.0.0.2:4040", 700 * MIB, 90 * MIB, 434 * MIB)),
                90 * MIB + MIB / 10, 0);
        assertEquals("driver peak heap 312 MiB of 1,024 MiB, at most 95 MiB left after a collection; 2 executors: peak heap 845 MiB (largest), storage "
                + "96 MiB of 434 MiB; cached blocks 90.1 MiB in memory, 0.0 MiB on disk", memory.describe());
        assertEquals("peak heap 312 MiB driver, 845 MiB executor", memory.peakHeaps());
    }

    @Test
    void executorsWithoutMetricsYetAreNotGivenAFigureAndSpilledBlocksAreNamed() {
        MemoryUse memory = new MemoryUse(312 * MIB, -1, -1, false,
                List.of(new MemoryUse.ExecutorMemory("0", "h:1", -1, -1, 434 * MIB)), 0, 3 * MIB);
        assertEquals("driver peak heap 312 MiB; 1 executor: no metrics reported yet; cached blocks 0.0 MiB in memory, "
                + "3.0 MiB on disk (spilled, read back every epoch: more executor memory keeps it in memory)",
                memory.describe());
        assertEquals("peak heap 312 MiB driver, unknown executor", memory.peakHeaps());
    }
}
