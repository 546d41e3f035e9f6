package io.sparkprop.bench;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The engine alone, without Spark: each partition's blocks summed on a thread of its own, all
 * partitions at once, the sums merged in partition order — a full-batch gradient as the Spark
 * trainer computes it, minus scheduling, broadcast and aggregation.
 */
public final class EngineOnly implements AutoCloseable {
    private final Network network;
    private final List<List<Block>> partitions;
    private final ExecutorService pool;

    public EngineOnly(Network network, List<List<Block>> partitions) {
        this.network = network;
        this.partitions = partitions;
        this.pool = Executors.newFixedThreadPool(partitions.size());
    }

    /** One full-batch gradient at {@code params}; returns its seconds. */
    public double epochSeconds(double[] params) throws Exception {
        long start = System.nanoTime();
        List<Future<GradientSum>> sums = new ArrayList<>();
        for (List<Block> blocks : partitions) {
            sums.add(pool.submit(() -> new Backprop(network).sum(params, blocks.iterator())));
        }
        GradientSum total = new GradientSum(params.length);
        for (Future<GradientSum> s : sums) {
            total.merge(s.get());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
