package io.sparkprop.bench;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.spark.Blocks;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@code train} does with a (features, label) frame before its first step, for a local
 * master: stack the rows into blocks, persist them (memory, spilling to disk) with the lineage cut,
 * and count each partition's rows in one job, which computes and caches every block. In local mode
 * {@code BlockPlacement.cache} is exactly {@link Blocks#cached}'s persist-and-local-checkpoint, and
 * the count is {@code SparkTrainer}'s {@code partitionRows} job.
 */
final class TrainCache {
    private final Network network;
    private final int blockSize;
    private final Precision precision;
    private final int partitions;

    /** @param partitions train's {@code --partitions}: the frame must have that many (train would repartition it) */
    TrainCache(Network network, int blockSize, Precision precision, int partitions) {
        this.network = network;
        this.blockSize = blockSize;
        this.precision = precision;
        this.partitions = partitions;
    }

    /** Blocks cached and counted; {@link Cached#close()} drops them. */
    Cached cache(Dataset<Row> frame) {
        // The trainer asks the same question (it repartitions when the answer differs); a benchmark
        // that repartitioned one reader's output and not the other's would time a shuffle too.
        int found = frame.rdd().getNumPartitions();
        if (found != partitions) {
            throw new IllegalStateException("the frame has " + found + " partitions, train --partitions " + partitions
                    + " would repartition it; this benchmark compares readers that split the file alike");
        }
        JavaRDD<Block> blocks = Blocks.cached(frame, "features", "label", null, network, blockSize, precision, null);
        List<Long> counts = blocks.mapPartitions(it -> {
            long n = 0;
            while (it.hasNext()) {
                n += it.next().rows();
            }
            return List.of(n).iterator();
        }, true).collect();
        return new Cached(blocks, counts.stream().mapToLong(Long::longValue).sum());
    }

    /** Cached blocks and their row count. */
    record Cached(JavaRDD<Block> blocks, long rows) implements IngestLoads.Loaded {
        @Override
        public int partitions() {
            return blocks.getNumPartitions();
        }

        /**
         * Σ features and Σ class index over all rows (one-hot targets): the same for every reader of
         * the same data however it splits it, when the values are small integers (the text copies'
         * pixels), whose sum in doubles is exact in any order.
         */
        @Override
        public double[] checksum() {
            return blocks.mapPartitions(it -> {
                double[] sums = new double[2];
                while (it.hasNext()) {
                    Block b = it.next();
                    double[] x = b.precision() == Precision.FLOAT64 ? b.features() : widen(b.features32());
                    double[] y = b.precision() == Precision.FLOAT64 ? b.targets() : widen(b.targets32());
                    for (double v : x) {
                        sums[0] += v;
                    }
                    int outputs = b.outputs();
                    for (int i = 0; i < y.length; i++) {
                        sums[1] += (i % outputs) * y[i];
                    }
                }
                return List.of(sums).iterator();
            }).reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
        }

        @Override
        public void close() {
            blocks.unpersist(true);
        }

        private static double[] widen(float[] values) {
            double[] wide = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                wide[i] = values[i];
            }
            return wide;
        }
    }
}
