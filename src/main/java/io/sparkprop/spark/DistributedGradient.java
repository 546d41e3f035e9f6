package io.sparkprop.spark;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Workspace;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The gradient of the loss summed over every cached block, computed where the blocks live:
 * broadcast the weights, let each partition fold its blocks into one {@link GradientSum} with the
 * engine, merge the sums up an {@link OrderedTreeAggregate}, destroy the broadcast.
 */
public final class DistributedGradient {
    private final JavaRDD<Block> blocks;
    private final Network network;
    private final int depth;

    public DistributedGradient(JavaRDD<Block> blocks, Network network, int depth) {
        this.blocks = blocks;
        this.network = network;
        this.depth = depth;
    }

    /** Sums over all blocks at {@code params}; blocks the caller until the job is done. */
    public GradientSum compute(double[] params) throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<double[]> weights = sc.broadcast(params);
        try {
            Network net = network; // capture the fields, not this
            JavaRDD<GradientSum> partials = blocks.mapPartitions(it -> sumPartition(net, weights.value(), it), true);
            return OrderedTreeAggregate.aggregate(partials, GradientSum::merge, depth);
        } finally {
            weights.destroy();
        }
    }

    /**
     * One task's work. The zero sum and the workspace are allocated here, on the executor, so no
     * large buffer travels in the closure; one workspace serves every block of the partition.
     */
    private static Iterator<GradientSum> sumPartition(Network network, double[] params, Iterator<Block> blocks) {
        Backprop engine = new Backprop(network);
        GradientSum sum = new GradientSum(params.length);
        Workspace ws = null;
        while (blocks.hasNext()) {
            Block block = blocks.next();
            if (ws == null) {
                ws = new Workspace(network, block.rows());
            }
            engine.accumulate(params, block, ws, sum);
        }
        return Collections.singletonList(sum).iterator();
    }
}
