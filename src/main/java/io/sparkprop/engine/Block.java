package io.sparkprop.engine;

/**
 * A batch of examples stacked for GEMM: {@code rows} examples, each a contiguous run of
 * {@code inputs} features and of {@code outputs} targets (row-major, which is the column-major
 * inputs × rows matrix BLAS reads), stored in float64 or, for {@link Precision#FLOAT32}
 * training, in float32. The features of a sparse block are {@link SparseFeatures} (CSR) instead,
 * in the same precision; its targets stay dense. Serializable, as cached blocks may spill to disk
 * with either of Spark's serializers.
 */
public final class Block implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int rows;
    private final double[] features;
    private final double[] targets;
    private final float[] features32;
    private final float[] targets32;
    private final SparseFeatures sparse;
    private final double[] weights;
    private final double totalWeight;

    public Block(int rows, double[] features, double[] targets) {
        this(rows, features, targets, null);
    }

    public Block(int rows, float[] features, float[] targets) {
        this(rows, features, targets, null);
    }

    /**
     * A float64 block whose rows weigh {@code weights} (one finite value ≥ 0 per row, or null
     * when every row weighs 1): each row's loss and gradient count that many times.
     */
    public Block(int rows, double[] features, double[] targets, double[] weights) {
        this(rows, features, targets, null, null, null, features.length, targets.length, weights);
    }

    /** A float32 block with per-row weights, kept in float64 as they scale float64 sums. */
    public Block(int rows, float[] features, float[] targets, double[] weights) {
        this(rows, null, null, features, targets, null, features.length, targets.length, weights);
    }

    /** A sparse block: float64 CSR features, one run of targets per row, optional row weights. */
    public Block(SparseFeatures features, double[] targets, double[] weights) {
        this(features.rows(), null, targets, null, null, requirePrecision(features, Precision.FLOAT64),
                features.rows(), targets.length, weights);
    }

    /** A sparse float32 block: float32 CSR features, float32 targets, optional float64 row weights. */
    public Block(SparseFeatures features, float[] targets, double[] weights) {
        this(features.rows(), null, null, null, targets, requirePrecision(features, Precision.FLOAT32),
                features.rows(), targets.length, weights);
    }

    private static SparseFeatures requirePrecision(SparseFeatures features, Precision precision) {
        if (features.precision() != precision) {
            throw new IllegalArgumentException("a " + precision.id() + " block cannot hold " + features.precision().id()
                    + " features");
        }
        return features;
    }

    private Block(int rows, double[] features, double[] targets, float[] features32, float[] targets32,
                  SparseFeatures sparse, int featureCount, int targetCount, double[] weights) {
        if (rows < 1 || featureCount % rows != 0 || targetCount % rows != 0) {
            throw new IllegalArgumentException("a block of " + rows + " rows cannot hold "
                    + featureCount + " features and " + targetCount + " targets");
        }
        this.rows = rows;
        this.features = features;
        this.targets = targets;
        this.features32 = features32;
        this.targets32 = targets32;
        this.sparse = sparse;
        if (weights != null && weights.length != rows) {
            throw new IllegalArgumentException("a block of " + rows + " rows cannot have " + weights.length
                    + " weights");
        }
        this.weights = weights;
        this.totalWeight = MetricsAccumulator.totalWeight(weights, rows); // once: every pass over the block adds it
    }

    /** The rows' weights, or null when every row weighs 1. */
    public double[] weights() {
        return weights;
    }

    /** The sum of the rows' weights: the number of rows when they are unweighted. */
    public double totalWeight() {
        return totalWeight;
    }

    public int rows() {
        return rows;
    }

    public Precision precision() {
        return targets == null ? Precision.FLOAT32 : Precision.FLOAT64;
    }

    /** Whether the features are {@link SparseFeatures} (CSR) rather than dense rows. */
    public boolean isSparse() {
        return sparse != null;
    }

    /** The CSR features of a sparse block. */
    public SparseFeatures sparseFeatures() {
        if (sparse == null) {
            throw new IllegalStateException("this block holds dense features");
        }
        return sparse;
    }

    /** The features of a dense float64 block. */
    public double[] features() {
        return require(features);
    }

    /** The targets of a float64 block. */
    public double[] targets() {
        return require(targets);
    }

    /** The features of a dense float32 block. */
    public float[] features32() {
        return require(features32);
    }

    /** The targets of a float32 block. */
    public float[] targets32() {
        return require(targets32);
    }

    public int inputs() {
        if (sparse != null) {
            return sparse.columns();
        }
        return (features == null ? features32.length : features.length) / rows;
    }

    /**
     * Bytes of the block's arrays (array headers aside): features, dense or CSR, targets and row
     * weights. What caching the block costs, which for a sparse block grows with its non-zeros,
     * not with its width.
     */
    public long bytes() {
        long featureBytes = sparse != null ? sparse.bytes()
                : features != null ? 8L * features.length : 4L * features32.length;
        long targetBytes = targets != null ? 8L * targets.length : 4L * targets32.length;
        return featureBytes + targetBytes + (weights == null ? 0 : 8L * weights.length);
    }

    public int outputs() {
        return (targets == null ? targets32.length : targets.length) / rows;
    }

    private <T> T require(T array) {
        if (array == null) {
            throw new IllegalStateException("this block holds " + (sparse != null ? "CSR features of " : "")
                    + precision().id() + " values");
        }
        return array;
    }
}
