package io.sparkprop.engine;

import java.util.Arrays;

/**
 * The first layer's weight gradient over sparse inputs, ∂W₁ = δ₁ᵀ X summed over a task's rows,
 * held transposed ({@code [fanIn][units]}) while it accumulates: each non-zero x_i of row r adds
 * x_i times that row's δ (units contiguous values) into the contiguous run of input i — the
 * same cache-friendly axpy as {@link SparseInputLayer}'s forward. In the parameter layout the run
 * would be scattered fanIn apart. {@link #addTo} transposes it into a gradient once per task and
 * clears it. Float32 blocks accumulate here in float64: a product of two float32 values is exact
 * in float64, and a float32 partial sum per block would have to be added over the whole of W₁ per
 * block, which is what sparsity saves. Mutable scratch, part of a {@link Workspace}.
 */
final class SparseInputGradient {
    private final int fanIn;
    private final int units;
    private final int weightOffset;
    private final double[] sum;
    private boolean empty = true;

    SparseInputGradient(Network network) {
        this.fanIn = network.inputSize();
        this.units = network.units(0);
        this.weightOffset = network.weightOffset(0);
        this.sum = new double[fanIn * units];
    }

    /** Adds X ᵀ δ: X the float64 CSR rows, δ rows × units, row-major. */
    void add(SparseFeatures x, double[] delta) {
        int[] start = x.rowStart();
        int[] columns = x.indices();
        double[] values = x.values();
        double[] g = sum;
        int n = units;
        for (int r = 0, rows = x.rows(); r < rows; r++) {
            int dr = r * n;
            for (int k = start[r]; k < start[r + 1]; k++) {
                double v = values[k];
                int gi = columns[k] * n;
                for (int j = 0; j < n; j++) {
                    g[gi + j] += v * delta[dr + j];
                }
            }
        }
        empty = false;
    }

    /** {@link #add(SparseFeatures, double[])} for float32 rows and deltas, summed in float64. */
    void add(SparseFeatures x, float[] delta) {
        int[] start = x.rowStart();
        int[] columns = x.indices();
        float[] values = x.values32();
        double[] g = sum;
        int n = units;
        for (int r = 0, rows = x.rows(); r < rows; r++) {
            int dr = r * n;
            for (int k = start[r]; k < start[r + 1]; k++) {
                double v = values[k];
                int gi = columns[k] * n;
                for (int j = 0; j < n; j++) {
                    g[gi + j] += v * delta[dr + j];
                }
            }
        }
        empty = false;
    }

    /** Adds what has accumulated into {@code gradient} (parameter layout) and starts again from zero. */
    void addTo(double[] gradient) {
        if (empty) {
            return;
        }
        int tile = SparseInputLayer.TILE;
        for (int from = 0; from < fanIn; from += tile) {
            int to = Math.min(fanIn, from + tile);
            for (int j = 0; j < units; j++) {
                int row = weightOffset + j * fanIn;
                for (int i = from; i < to; i++) {
                    gradient[row + i] += sum[i * units + j];
                }
            }
        }
        Arrays.fill(sum, 0.0);
        empty = true;
    }
}
