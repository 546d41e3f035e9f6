package io.sparkprop.spark;

import io.sparkprop.engine.Block;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockManagerAdded;
import org.apache.spark.scheduler.SparkListenerBlockManagerRemoved;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cached training blocks, spread evenly over the executors: each executor holds ⌊P/E⌋ or
 * ⌈P/E⌉ of the P cached partitions, so every step's P tasks run on all E executors' slots.
 *
 * <p>Left alone, Spark caches a partition wherever its first task ran — 3:1 over two executors is
 * common — and, when an executor dies, rebuilds its partitions on the survivors, where they then
 * stay: the replacement the cluster manager starts gets no task for the rest of the run. So the
 * blocks are cached through a {@link PlacedRDD} that assigns each partition an executor, and
 * whenever executors come or go, {@link #rebalance} (before a step) re-assigns partitions from
 * executors that hold too many, or that are gone, to those that hold too few: it caches a new
 * placed RDD over the old one (moved partitions are fetched from where they are cached, lost ones
 * rebuilt from the input), then drops the old one. The blocks' contents never change, and the
 * gradient is merged in partition order, so the results are bitwise those of any other placement.
 *
 * <p>In local mode there is one executor, and nothing to place.
 */
final class BlockPlacement extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockPlacement.class);

    private final SparkContext sc;
    private JavaRDD<Block> blocks;
    private volatile boolean executorsChanged;

    private BlockPlacement(SparkContext sc, JavaRDD<Block> blocks) {
        this.sc = sc;
        this.blocks = blocks;
    }

    /** Caches {@code uncached}, placed over the executors registered now (rebalanced when more come). */
    static BlockPlacement cache(JavaRDD<Block> uncached) {
        SparkContext sc = uncached.context();
        if (sc.isLocal()) {
            return new BlockPlacement(sc, Blocks.persisted(uncached));
        }
        int partitions = uncached.getNumPartitions();
        String[] assignment = assign(executors(), new BlockManagerId[partitions]);
        BlockPlacement placement = new BlockPlacement(sc, placed(uncached, assignment));
        sc.addSparkListener(placement);
        return placement;
    }

    /** The cached blocks as they are placed now. */
    JavaRDD<Block> blocks() {
        return blocks;
    }

    // Block managers, not executors: an executor's block manager may register after the executor,
    // and placement reads the block managers.
    @Override
    public void onBlockManagerAdded(SparkListenerBlockManagerAdded event) {
        executorsChanged = true;
    }

    @Override
    public void onBlockManagerRemoved(SparkListenerBlockManagerRemoved event) {
        executorsChanged = true;
    }

    /**
     * After executors came or went: re-places the cached partitions if they are no longer spread
     * evenly over the live executors (or some are no longer cached). Costs one flag check when
     * nothing changed.
     *
     * @return whether {@link #blocks()} is a new RDD
     */
    boolean rebalance() {
        if (!executorsChanged) {
            return false;
        }
        executorsChanged = false;
        List<BlockManagerId> executors = executors();
        BlockManagerId[] cachedOn = locations();
        if (executors.isEmpty() || balanced(executors, cachedOn)) {
            return false;
        }
        long t0 = System.nanoTime();
        String[] assignment = assign(executors, cachedOn);
        JavaRDD<Block> old = blocks;
        blocks = placed(old, assignment);
        blocks.count(); // caches every partition where it is assigned now
        old.unpersist(false);
        LOG.info("cached partitions re-placed over {} executors in {} ms: {}", executors.size(),
                (System.nanoTime() - t0) / 1_000_000, describe(locations()));
        return true;
    }

    /** Where each cached partition is now, e.g. {@code "executor 0: 2 partitions, executor 2: 2 partitions"}. */
    String describe() {
        return describe(locations());
    }

    private static String describe(BlockManagerId[] cachedOn) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int uncached = 0;
        for (BlockManagerId id : cachedOn) {
            if (id == null) {
                uncached++;
            } else {
                counts.merge("executor " + id.executorId(), 1, Integer::sum);
            }
        }
        List<String> parts = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> parts.add(e.getKey() + ": " + e.getValue() + (e.getValue() == 1 ? " partition" : " partitions")));
        if (uncached > 0) {
            parts.add(uncached + " not cached");
        }
        return String.join(", ", parts);
    }

    private static JavaRDD<Block> placed(JavaRDD<Block> parent, String[] assignment) {
        return new PlacedRDD<>(parent.rdd(), Block.class, assignment).toJavaRDD()
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** The live executors' block managers (not the driver's), in a stable order. */
    private static List<BlockManagerId> executors() {
        List<BlockManagerId> executors = new ArrayList<>();
        scala.collection.Iterator<BlockManagerId> ids = SparkEnv.get().blockManager().master().getMemoryStatus()
                .keysIterator();
        while (ids.hasNext()) {
            BlockManagerId id = ids.next();
            if (!id.isDriver()) {
                executors.add(id);
            }
        }
        executors.sort(Comparator.comparing((BlockManagerId id) -> id.executorId().length())
                .thenComparing(BlockManagerId::executorId));
        return executors;
    }

    /** Where each partition of the current blocks is cached (the first copy), null where it is not. */
    private BlockManagerId[] locations() {
        int partitions = blocks.getNumPartitions();
        BlockId[] ids = new BlockId[partitions];
        for (int p = 0; p < partitions; p++) {
            ids[p] = new RDDBlockId(blocks.id(), p);
        }
        scala.collection.immutable.IndexedSeq<scala.collection.immutable.Seq<BlockManagerId>> found =
                SparkEnv.get().blockManager().master().getLocations(ids);
        BlockManagerId[] cachedOn = new BlockManagerId[partitions];
        for (int p = 0; p < partitions; p++) {
            scala.collection.immutable.Seq<BlockManagerId> where = found.apply(p);
            cachedOn[p] = where.isEmpty() ? null : where.head();
        }
        return cachedOn;
    }

    /** Whether every partition is cached on a live executor and each holds ⌊P/E⌋ or ⌈P/E⌉ of them. */
    static boolean balanced(List<BlockManagerId> executors, BlockManagerId[] cachedOn) {
        int partitions = cachedOn.length;
        int base = partitions / executors.size();
        int extra = partitions % executors.size();
        Map<BlockManagerId, Integer> counts = new LinkedHashMap<>();
        for (BlockManagerId id : cachedOn) {
            if (id == null || !executors.contains(id)) {
                return false;
            }
            counts.merge(id, 1, Integer::sum);
        }
        int above = 0;
        for (BlockManagerId executor : executors) {
            int n = counts.getOrDefault(executor, 0);
            if (n < base || n > base + 1) {
                return false;
            }
            above += n > base ? 1 : 0;
        }
        return above <= extra;
    }

    /**
     * An executor for every partition, ⌊P/E⌋ or ⌈P/E⌉ per executor, keeping as many partitions
     * where they are cached as that allows; as Spark's locations ({@code executor_HOST_ID}).
     */
    static String[] assign(List<BlockManagerId> executors, BlockManagerId[] cachedOn) {
        int partitions = cachedOn.length;
        String[] assignment = new String[partitions];
        if (executors.isEmpty()) {
            return assignment;
        }
        int base = partitions / executors.size();
        int extra = partitions % executors.size();
        Map<BlockManagerId, Integer> counts = new LinkedHashMap<>();
        executors.forEach(e -> counts.put(e, 0));
        BlockManagerId[] chosen = new BlockManagerId[partitions];
        int above = 0;
        for (int pass = 0; pass < 2; pass++) { // first up to ⌊P/E⌋ each, then the extra ones
            for (int p = 0; p < partitions; p++) {
                BlockManagerId at = cachedOn[p];
                if (chosen[p] != null || at == null || !counts.containsKey(at)) {
                    continue;
                }
                int n = counts.get(at);
                if (n < base || pass == 1 && n == base && above < extra) {
                    chosen[p] = at;
                    counts.put(at, n + 1);
                    above += n == base ? 1 : 0;
                }
            }
        }
        for (int p = 0; p < partitions; p++) {
            if (chosen[p] == null) {
                BlockManagerId least = executors.get(0);
                for (BlockManagerId e : executors) {
                    if (counts.get(e) < counts.get(least)) {
                        least = e;
                    }
                }
                chosen[p] = least;
                counts.merge(least, 1, Integer::sum);
            }
            assignment[p] = "executor_" + chosen[p].host() + "_" + chosen[p].executorId();
        }
        return assignment;
    }

    /** Drops the cached blocks and stops listening. */
    @Override
    public void close() {
        sc.removeSparkListener(this);
        blocks.unpersist(false);
    }
}
