package io.sparkprop.engine;

/**
 * The first layer's weights as sparse inputs read them: W₁ transposed, stored
 * {@code [fanIn][units]}, so that a non-zero x_i meets the weights of all units as one contiguous
 * run. In the parameter layout, {@code [units][fanIn]}, those weights lie fanIn apart — a cache
 * line each and, for a wide input, a page each. Made once per task from the broadcast weights
 * (one pass over W₁, as large as the pass that zero-fills the task's gradient sum) and then read
 * by every sparse block of the task; in the precision of the blocks (float32 blocks see the
 * weights rounded to float32, as the dense float32 pass does). Immutable.
 */
public final class SparseInputLayer {
    private final int fanIn;
    private final int units;
    private final double[] weights;
    private final float[] weights32;

    private SparseInputLayer(int fanIn, int units, double[] weights, float[] weights32) {
        this.fanIn = fanIn;
        this.units = units;
        this.weights = weights;
        this.weights32 = weights32;
    }

    /** W₁ of {@code params} (layout in {@link Network}), transposed, for blocks of {@code precision}. */
    public static SparseInputLayer of(Network network, double[] params, Precision precision) {
        int fanIn = network.inputSize();
        int units = network.units(0);
        int offset = network.weightOffset(0);
        double[] w = precision == Precision.FLOAT64 ? new double[fanIn * units] : null;
        float[] w32 = precision == Precision.FLOAT32 ? new float[fanIn * units] : null;
        // Blocked by TILE inputs: the TILE values read from each of the units rows and the
        // TILE × units values written stay in cache, whichever side is strided.
        for (int from = 0; from < fanIn; from += TILE) {
            int to = Math.min(fanIn, from + TILE);
            for (int j = 0; j < units; j++) {
                int row = offset + j * fanIn;
                for (int i = from; i < to; i++) {
                    if (w != null) {
                        w[i * units + j] = params[row + i];
                    } else {
                        w32[i * units + j] = (float) params[row + i];
                    }
                }
            }
        }
        return new SparseInputLayer(fanIn, units, w, w32);
    }

    /** Inputs per tile of the blocked transpositions: 64 doubles, eight cache lines of a row. */
    static final int TILE = 64;

    /**
     * {@code z += X W₁ᵀ} for the float64 CSR rows X: z is rows × units, row-major, and already
     * holds the biases. Per non-zero, one axpy of length units over contiguous weights.
     */
    void multiply(SparseFeatures x, double[] z) {
        int[] start = x.rowStart();
        int[] columns = x.indices();
        double[] values = x.values();
        double[] w = weights;
        int n = units;
        for (int r = 0, rows = x.rows(); r < rows; r++) {
            int zr = r * n;
            for (int k = start[r]; k < start[r + 1]; k++) {
                double v = values[k];
                int wi = columns[k] * n;
                for (int j = 0; j < n; j++) {
                    z[zr + j] += v * w[wi + j];
                }
            }
        }
    }

    /** {@link #multiply(SparseFeatures, double[])} in float32, with the float32 weights. */
    void multiply(SparseFeatures x, float[] z) {
        int[] start = x.rowStart();
        int[] columns = x.indices();
        float[] values = x.values32();
        float[] w = weights32;
        int n = units;
        for (int r = 0, rows = x.rows(); r < rows; r++) {
            int zr = r * n;
            for (int k = start[r]; k < start[r + 1]; k++) {
                float v = values[k];
                int wi = columns[k] * n;
                for (int j = 0; j < n; j++) {
                    z[zr + j] += v * w[wi + j];
                }
            }
        }
    }

    /** Whether these weights serve blocks of {@code precision}. */
    boolean serves(Precision precision) {
        return precision == Precision.FLOAT64 ? weights != null : weights32 != null;
    }
}
