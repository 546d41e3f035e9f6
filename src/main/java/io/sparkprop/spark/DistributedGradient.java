package io.sparkprop.spark;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Network;
import java.util.Collections;
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

    /** Sums the gradient over all blocks at {@code params}; blocks the caller until the job is done. */
    public GradientSum compute(double[] params) throws Exception {
        return run(params, true);
    }

    /** Loss, count and correct answers over all blocks at {@code params}: forward passes only. */
    public GradientSum evaluate(double[] params) throws Exception {
        return run(params, false);
    }

    private GradientSum run(double[] params, boolean withGradient) throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<double[]> weights = sc.broadcast(params);
        try {
            // One task's work: the zero sum and the workspace are allocated on the executor, so no
            // large buffer travels in the closure; one workspace serves every block of the partition.
            Network net = network; // capture the fields, not this
            JavaRDD<GradientSum> partials = blocks.mapPartitions(it -> Collections.singletonList(
                    new Backprop(net).sum(weights.value(), it, withGradient)).iterator(), true);
            return OrderedTreeAggregate.aggregate(partials, GradientSum::merge, depth);
        } finally {
            weights.destroy();
        }
    }
}
