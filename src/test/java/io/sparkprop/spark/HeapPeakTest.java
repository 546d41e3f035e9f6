package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapPeakTest {
    private static final int ARRAY_BYTES = 64 << 20;

    @Test
    void countsAnArrayThatIsGarbageByTheEndOfTheWatch() throws InterruptedException {
        System.gc();
        long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        try (HeapPeak peak = HeapPeak.start()) {
            byte[] big = new byte[ARRAY_BYTES];
            big[ARRAY_BYTES - 1] = 1;
            big = null; // garbage now, still on the heap until the collection below
            System.gc();
            // The JVM announces the collection on a thread of its own, a moment after it.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (peak.bytes() < before + ARRAY_BYTES && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            assertTrue(now < before + ARRAY_BYTES / 2, "the array is collected: " + now + " bytes in use");
            assertTrue(peak.bytes() >= before + ARRAY_BYTES, "peak " + peak.bytes() + " bytes, before the array "
                    + before + " bytes");
            // Not checked against the array: a collection G1 starts on its own while the array is
            // still referenced may count it as live.
            assertTrue(peak.liveBytes() > 0 && peak.liveBytes() < peak.bytes(),
                    "live after collections: " + peak.liveBytes() + " bytes, peak " + peak.bytes());
        }
    }

    @Test
    void isAtMostTheHeapTheJvmMayUse() {
        try (HeapPeak peak = HeapPeak.start()) {
            long max = HeapPeak.maxBytes();
            assertTrue(max < 0 || peak.bytes() <= max, peak.bytes() + " > " + max);
        }
    }
}
