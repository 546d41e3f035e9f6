package io.sparkprop.spark;

import io.sparkprop.engine.MiniBatchPlan;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The executors' cache of {@link MiniBatchPlan#permutation}s: with one job per step, every step's
 * task would otherwise shuffle its whole partition again to find its slice — O(rows) per step,
 * O(rows² / batch) per epoch — where the slice itself is O(batch). A task now computes its
 * partition's permutation once per epoch, and later steps on the same executor reuse it.
 *
 * <p>Bounded to a sixteenth of the JVM's heap, the least recently used dropped first; a task whose
 * permutation is not cached (another executor ran the partition, or it was dropped) computes it
 * again, to the same values.
 */
final class Permutations {
    private static final long LIMIT_BYTES = Runtime.getRuntime().maxMemory() / 16;
    private static final Map<Key, int[]> CACHE = new LinkedHashMap<>(16, 0.75f, true);
    private static long cachedBytes;

    private record Key(long seed, int epoch, int partition, int rows) {
    }

    private Permutations() {
    }

    /** {@code plan.permutation(epoch, partition, rows)}, shared: callers must not modify it. */
    static int[] of(MiniBatchPlan plan, int epoch, int partition, int rows) {
        Key key = new Key(plan.seed(), epoch, partition, rows);
        synchronized (CACHE) {
            int[] cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        int[] order = plan.permutation(epoch, partition, rows);
        long bytes = 4L * order.length;
        if (bytes <= LIMIT_BYTES) {
            synchronized (CACHE) {
                if (CACHE.put(key, order) == null) {
                    cachedBytes += bytes;
                }
                Iterator<int[]> oldest = CACHE.values().iterator();
                while (cachedBytes > LIMIT_BYTES) {
                    cachedBytes -= 4L * oldest.next().length;
                    oldest.remove();
                }
            }
        }
        return order;
    }
}
