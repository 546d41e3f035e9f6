package io.sparkprop.spark;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.CentringFold;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.SparseFeatures;
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
 * stacked, {@code blockSize} at a time, into dense row-major arrays ready for GEMM, or into CSR
 * ({@link SparseFeatures}) when the block's rows are sparse. Rows keep their order, so the same
 * data and partitioning give the same blocks.
 *
 * <p><b>Dense or CSR, block by block.</b> A block is CSR when every one of its rows holds a
 * {@link SparseVector} and their stored entries are fewer than {@link #SPARSE_DENSITY} of rows ×
 * features; otherwise it is dense (sparse vectors densified). Decided per block, as the rows are
 * stacked, so no pass over the data is needed first, and a block is all one or the other. The
 * engine takes both, in any mix. The bound is where speed turns: the first layer's loops over the
 * non-zeros take as long as its GEMMs over the dense rows at about 10% non-zeros (measured for a
 * 784-wide input and 32 or 256 units, {@code bench.SparseCrossover}, BENCHMARKS.md); below it CSR
 * is faster as well as smaller (12 bytes per stored float64 value, against 8 per value dense).
 * Denser sparse vectors stay dense, as they were before CSR blocks existed.
 *
 * <p><b>Standardisation.</b> Centred features, (x − μ)/σ, are dense whatever x is, so with a
 * standardisation every block is dense — unless the caller folds the centring into the first
 * layer ({@link CentringFold}): then the blocks hold x/σ, and stay CSR where x is sparse.
 */
public final class Blocks {
    /** Below this share of stored entries (of rows × features), a block of sparse vectors is CSR. */
    public static final double SPARSE_DENSITY = 0.10;

    /** Rows whose features {@link #sparseInput} looks at. */
    private static final int SAMPLE_ROWS = 100;

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
        return fromDataset(data, featuresCol, labelCol, weightCol, network, blockSize, precision, standardization,
                true);
    }

    /**
     * {@link #fromDataset(Dataset, String, String, String, Network, int, Precision, Standardization)}
     * whose blocks hold, with {@code centred} false, the scaled features x/σ only, dense or CSR:
     * the inputs of weights passed through {@link CentringFold#fold}.
     */
    public static JavaRDD<Block> fromDataset(Dataset<Row> data, String featuresCol, String labelCol, String weightCol,
                                             Network network, int blockSize, Precision precision,
                                             Standardization standardization, boolean centred) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        }
        Dataset<Row> columns = weightCol == null ? data.select(featuresCol, labelCol)
                : data.select(featuresCol, labelCol, weightCol);
        return columns.javaRDD()
                .mapPartitionsWithIndex((partition, rows) -> stack(rows, partition, network, blockSize, precision,
                        standardization, centred),
                        true);
    }

    /**
     * Whether standardised training on {@code data} should fold the centring into the first layer
     * ({@link CentringFold}) to keep it sparse: the features of its first rows (up to 100, one
     * small job) are all sparse vectors, together under {@link #SPARSE_DENSITY}. Decided once for
     * the whole run, since the folded weights must serve every block.
     */
    public static boolean sparseInput(Dataset<Row> data, String featuresCol) {
        List<Row> first = data.select(featuresCol).limit(SAMPLE_ROWS).collectAsList();
        long stored = 0;
        long entries = 0;
        for (Row row : first) {
            if (!(row.get(0) instanceof SparseVector v)) {
                return false;
            }
            stored += v.indices().length;
            entries += v.size();
        }
        return !first.isEmpty() && stored < SPARSE_DENSITY * entries;
    }

    /**
     * Whether {@code rows}' features (at {@code column}) go into a CSR block: all sparse vectors
     * of {@code inputs} values, together under {@link #SPARSE_DENSITY}. A vector of another width
     * is left to the dense path, which reports it.
     */
    static boolean sparseEnough(List<Row> rows, int column, int inputs) {
        long stored = 0;
        for (Row row : rows) {
            if (!(row.get(column) instanceof SparseVector v) || v.size() != inputs) {
                return false;
            }
            stored += v.indices().length;
        }
        return !rows.isEmpty() && stored < SPARSE_DENSITY * rows.size() * (double) inputs;
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
                                         Precision precision, Standardization standardization, boolean centred) {
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
                boolean sparse = (standardization == null || !centred) && sparseEnough(chunk, 0, inputs);
                double[] x = sparse ? null : new double[n * inputs];
                SparseFeatures.Builder csr = sparse
                        ? new SparseFeatures.Builder(inputs, precision, n, storedEntries(chunk)) : null;
                double[] y = new double[n * outputs];
                double[] w = n > 0 && chunk.get(0).size() > 2 ? new double[n] : null;
                for (int r = 0; r < n; r++, rowInPartition++) {
                    Row row = chunk.get(r);
                    try {
                        if (sparse) {
                            appendFeatures((SparseVector) row.get(0), csr, centred ? null : standardization);
                        } else {
                            copyFeatures(row.get(0), x, r * inputs, inputs);
                        }
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
                if (sparse) {
                    return precision == Precision.FLOAT64 ? new Block(csr.build(), y, w)
                            : new Block(csr.build(), toFloat(y), w);
                }
                if (standardization != null) {
                    if (centred) {
                        standardization.apply(x, n);
                    } else {
                        standardization.applyScale(x, n);
                    }
                }
                return precision == Precision.FLOAT64 ? new Block(n, x, y, w) : new Block(n, toFloat(x), toFloat(y), w);
            }
        };
    }

    /** The stored entries of rows already known to hold sparse vectors. */
    private static int storedEntries(List<Row> rows) {
        long stored = 0;
        for (Row row : rows) {
            stored += ((SparseVector) row.get(0)).indices().length;
        }
        return (int) Math.min(Integer.MAX_VALUE - 8, stored);
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

    /**
     * Appends a sparse vector's entries to {@code csr} as one row, divided by the scales of
     * {@code scaling} unless it is null; refuses a value that is not finite, as
     * {@link #copyFeatures} does.
     */
    static void appendFeatures(SparseVector v, SparseFeatures.Builder csr, Standardization scaling) {
        int[] indices = v.indices();
        double[] values = v.values();
        for (int k = 0; k < indices.length; k++) {
            if (!Double.isFinite(values[k])) {
                throw nonFinite(indices[k], values[k]);
            }
            csr.add(indices[k], scaling == null ? values[k] : scaling.scaled(indices[k], values[k]));
        }
        csr.endRow();
    }

    private static IllegalArgumentException nonFinite(int feature, double value) {
        return new IllegalArgumentException("feature " + feature + " is " + value + "; expected a finite number");
    }
}
