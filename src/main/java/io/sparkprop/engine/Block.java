package io.sparkprop.engine;

/**
 * A batch of examples stacked for GEMM: {@code rows} examples, each a contiguous run of
 * {@code inputs} features in {@link #features()} and of {@code outputs} targets in
 * {@link #targets()} (row-major, which is the column-major inputs × rows matrix BLAS reads).
 */
public final class Block {
    private final int rows;
    private final double[] features;
    private final double[] targets;

    public Block(int rows, double[] features, double[] targets) {
        if (rows < 1 || features.length % rows != 0 || targets.length % rows != 0) {
            throw new IllegalArgumentException("a block of " + rows + " rows cannot hold "
                    + features.length + " features and " + targets.length + " targets");
        }
        this.rows = rows;
        this.features = features;
        this.targets = targets;
    }

    public int rows() {
        return rows;
    }

    public double[] features() {
        return features;
    }

    public double[] targets() {
        return targets;
    }

    public int inputs() {
        return features.length / rows;
    }

    public int outputs() {
        return targets.length / rows;
    }
}
