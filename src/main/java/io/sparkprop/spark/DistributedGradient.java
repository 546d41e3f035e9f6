package io.sparkprop.spark;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.MiniBatchPlan;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.PartitionRows;
import io.sparkprop.engine.PredictionSample;
import io.sparkprop.engine.Workspace;
import java.io.Serializable;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The gradient of the loss summed over the cached blocks, computed where the blocks live:
 * broadcast the weights, let each partition fold its blocks (or its share of a mini-batch) into
 * one {@link GradientSum} with the engine, merge the sums up an {@link OrderedTreeAggregate},
 * destroy the broadcast.
 */
public final class DistributedGradient {
    /** See {@link #scratch}. */
    private static final ThreadLocal<SoftReference<Workspace>> SCRATCH = new ThreadLocal<>();

    private final JavaRDD<Block> blocks;
    private final Network network;
    private final int depth;
    private final LongAdder broadcastNanos;

    public DistributedGradient(JavaRDD<Block> blocks, Network network, int depth) {
        this(blocks, network, depth, new LongAdder());
    }

    /** Adds the driver's time creating and removing the weights' broadcasts to {@code broadcastNanos}. */
    DistributedGradient(JavaRDD<Block> blocks, Network network, int depth, LongAdder broadcastNanos) {
        this.blocks = blocks;
        this.network = network;
        this.depth = depth;
        this.broadcastNanos = broadcastNanos;
    }

    /** Sums the gradient over all blocks at {@code params}; blocks the caller until the job is done. */
    public GradientSum compute(double[] params) throws Exception {
        Network net = network; // the closures capture locals, not this
        return onEveryPartition(params, (weights, partition, it) -> new Backprop(net).sum(weights, it, scratch(net)));
    }

    /**
     * Sums the gradient at {@code params} over the rows {@code plan} gives {@code step} of
     * {@code epoch}: each partition gathers its share from its cached blocks, without a pass over
     * the rest, into chunks of at most {@code chunkRows} rows. The partition's shuffle of the
     * epoch is computed once per executor ({@link Permutations}), so a step costs O(its share).
     */
    public GradientSum compute(double[] params, MiniBatchPlan plan, int epoch, int step, int chunkRows)
            throws Exception {
        Network net = network;
        return onEveryPartition(params, (weights, partition, it) -> {
            List<Block> local = new ArrayList<>();
            it.forEachRemaining(local::add);
            PartitionRows rows = new PartitionRows(local);
            int[] share = plan.slice(Permutations.of(plan, epoch, partition, rows.rows()), step, partition);
            return new Backprop(net).sum(weights, rows.select(share, chunkRows), scratch(net));
        });
    }

    /**
     * This executor thread's scratch for {@code net}'s gradient sums, kept from one step's task to
     * the next (Spark reuses its task threads), as a barrier task keeps its own: with one job per
     * step, a new one per task and step was the largest allocation of the step. Held softly, so an
     * idle executor gives it back when memory runs short.
     */
    private static Workspace scratch(Network net) {
        SoftReference<Workspace> held = SCRATCH.get();
        Workspace ws = held == null ? null : held.get();
        if (ws == null || !ws.network().equals(net)) {
            ws = new Workspace(net, 1); // grows to the first share
            SCRATCH.set(new SoftReference<>(ws));
        }
        return ws;
    }

    /** The {@link Metrics} of all blocks at {@code params}: forward passes only. */
    public Metrics evaluate(double[] params) throws Exception {
        Network net = network;
        return onEveryPartition(params, (weights, partition, it) -> new Backprop(net).evaluate(weights, it),
                Metrics::merge);
    }

    /**
     * The outputs at {@code params} beside the targets of at most {@code maxRows} rows: the first
     * rows of every partition, an equal share each, joined in partition order (so the same data
     * and weights give the same sample).
     */
    public PredictionSample sample(double[] params, int maxRows) throws Exception {
        Network net = network;
        int share = (maxRows + blocks.getNumPartitions() - 1) / blocks.getNumPartitions();
        return onEveryPartition(params, (weights, partition, it) -> new Backprop(net).sample(weights, it, share),
                PredictionSample::concat).first(maxRows);
    }

    /** One task's work: what one partition's blocks give at the broadcast weights. */
    private interface PartitionTask<T> extends Serializable {
        T run(double[] weights, int partition, Iterator<Block> blocks);
    }

    private GradientSum onEveryPartition(double[] params, PartitionTask<GradientSum> task) throws Exception {
        return onEveryPartition(params, task, GradientSum::merge);
    }

    private <T> T onEveryPartition(double[] params, PartitionTask<T> task, Function2<T, T, T> merge)
            throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        long started = System.nanoTime();
        Broadcast<double[]> weights = sc.broadcast(params);
        broadcastNanos.add(System.nanoTime() - started);
        try {
            // The zero sum and the workspace are allocated on the executor, inside the task, so no
            // large buffer travels in the closure.
            JavaRDD<T> partials = blocks.mapPartitionsWithIndex((partition, it) -> {
                FaultInjection.failIfChosen();
                return Collections.singletonList(task.run(weights.value(), partition, it)).iterator();
            }, true);
            return OrderedTreeAggregate.aggregate(partials, merge, depth);
        } finally {
            long destroying = System.nanoTime();
            weights.destroy();
            broadcastNanos.add(System.nanoTime() - destroying);
        }
    }
}
