package io.sparkprop.spark;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.Standardization;
import io.sparkprop.engine.TargetSpec;
import io.sparkprop.io.InvalidDataException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Turns a DataFrame of (features vector, label) rows into {@link Block}s: each partition's rows are
 * stacked, {@code blockSize} at a time, into dense row-major arrays ready for GEMM. Sparse vectors
 * are densified. Rows keep their order, so the same data and partitioning give the same blocks.
 */
public final class Blocks {
    private Blocks() {
    }

    /**
     * @param labelCol a numeric column (class index or target value) or a vector column (target
     *        vector), encoded by {@link TargetSpec}
     * @param standardization applied to the features as they are stacked, or null
     */
    public static JavaRDD<Block> fromDataset(Dataset<Row> data, String featuresCol, String labelCol,
                                             Network network, int blockSize, Precision precision,
                                             Standardization standardization) {
        return fromDataset(data, featuresCol, labelCol, null, network, blockSize, precision, standardization);
    }

    /**
     * {@link #fromDataset(Dataset, String, String, Network, int, Precision, Standardization)} with
     * per-row weights from {@code weightCol} (numeric, finite, ≥ 0), or unweighted when it is null.
     */
    public static JavaRDD<Block> fromDataset(Dataset<Row> data, String featuresCol, String labelCol, String weightCol,
                                             Network network, int blockSize, Precision precision,
                                             Standardization standardization) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        }
        Dataset<Row> columns = weightCol == null ? data.select(featuresCol, labelCol)
                : data.select(featuresCol, labelCol, weightCol);
        return columns.javaRDD()
                .mapPartitionsWithIndex((partition, rows) -> stack(rows, partition, network, blockSize, precision,
                        standardization),
                        true);
    }

    /**
     * {@link #fromDataset} persisted in memory, spilling to disk, for a training run; computed by
     * the first action on it. Unpersist it when done.
     */
    public static JavaRDD<Block> cached(Dataset<Row> data, String featuresCol, String labelCol, String weightCol,
                                        Network network, int blockSize, Precision precision,
                                        Standardization standardization) {
        return persisted(fromDataset(data, featuresCol, labelCol, weightCol, network, blockSize, precision,
                standardization));
    }

    /** {@code blocks} persisted in memory, spilling to disk; in local mode without the lineage behind them. */
    static JavaRDD<Block> persisted(JavaRDD<Block> blocks) {
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        if (blocks.context().isLocal()) {
            // Every step ships the blocks' lineage (the whole SQL plan that read the data) in its task
            // binary: measured 110 ms per step on Fashion-MNIST, 45 ms once cut. Local mode has no
            // executor to lose, so the lineage is never needed to recompute a block; on a cluster it is.
            blocks.rdd().localCheckpoint();
        }
        return blocks;
    }

    private static Iterator<Block> stack(Iterator<Row> rows, int partition, Network network, int blockSize,
                                         Precision precision, Standardization standardization) {
        return new Iterator<>() {
            private long rowInPartition;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Block next() {
                int inputs = network.inputSize();
                int outputs = network.outputSize();
                TargetSpec targets = TargetSpec.of(network);
                List<Row> chunk = new ArrayList<>(blockSize);
                while (chunk.size() < blockSize && rows.hasNext()) {
                    chunk.add(rows.next());
                }
                int n = chunk.size();
                double[] x = new double[n * inputs];
                double[] y = new double[n * outputs];
                double[] w = n > 0 && chunk.get(0).size() > 2 ? new double[n] : null;
                for (int r = 0; r < n; r++, rowInPartition++) {
                    Row row = chunk.get(r);
                    try {
                        copyFeatures(row.get(0), x, r * inputs, inputs);
                        Object label = row.get(1);
                        if (label instanceof Vector v) {
                            targets.encode(v.toArray(), y, r * outputs);
                        } else if (label instanceof Number number) {
                            targets.encode(number.doubleValue(), y, r * outputs);
                        } else {
                            throw new IllegalArgumentException("label is " + (label == null ? "missing"
                                    : "not a number or vector: " + label));
                        }
                        if (w != null) {
                            w[r] = weight(row.get(2));
                        }
                    } catch (IllegalArgumentException e) {
                        throw new InvalidDataException("row " + (rowInPartition + 1) + " of partition " + partition
                                + ": " + e.getMessage());
                    }
                }
                if (standardization != null) {
                    standardization.apply(x, n);
                }
                return precision == Precision.FLOAT64 ? new Block(n, x, y, w) : new Block(n, toFloat(x), toFloat(y), w);
            }
        };
    }

    private static double weight(Object value) {
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("weight is " + (value == null ? "missing" : "not a number: " + value)
                    + "; expected a finite number >= 0");
        }
        double w = number.doubleValue();
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException("weight is " + w + "; expected a finite number >= 0");
        }
        return w;
    }

    private static float[] toFloat(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }

    /**
     * Writes a feature vector (dense or sparse) into {@code x}; a sparse one expects zeros there.
     * A value that is not finite is refused here, where the row is known: in training it would
     * only show as a diverged loss.
     */
    static void copyFeatures(Object value, double[] x, int offset, int inputs) {
        if (!(value instanceof Vector v)) {
            throw new IllegalArgumentException("features are " + (value == null ? "missing" : "not a vector"));
        }
        if (v.size() != inputs) {
            throw new IllegalArgumentException("features have " + v.size() + " values, the network expects "
                    + inputs);
        }
        if (v instanceof DenseVector d) {
            double[] values = d.values();
            for (int i = 0; i < inputs; i++) {
                if (!Double.isFinite(values[i])) {
                    throw nonFinite(i, values[i]);
                }
            }
            System.arraycopy(values, 0, x, offset, inputs);
        } else {
            SparseVector s = (SparseVector) v;
            int[] indices = s.indices();
            double[] values = s.values();
            for (int i = 0; i < indices.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw nonFinite(indices[i], values[i]);
                }
                x[offset + indices[i]] = values[i];
            }
        }
    }

    private static IllegalArgumentException nonFinite(int feature, double value) {
        return new IllegalArgumentException("feature " + feature + " is " + value + "; expected a finite number");
    }
}
