package io.sparkprop.engine;

/**
 * Scratch matrices for forward and backward passes over batches of up to {@link #capacity()} rows.
 * One workspace per task, reused for every block, so the per-block loop allocates nothing; it
 * grows only if a larger batch arrives. Not thread-safe.
 */
public final class Workspace {
    private final Network network;
    private int capacity;
    /** activations[l]: outputs of layer l, units × capacity, column-major. */
    private double[][] activations;
    /** deltas[l]: ∂C/∂z of layer l, same shape. */
    private double[][] deltas;
    /** Pre-activations of the output layer, kept for the loss. */
    private double[] outputZ;

    // float32 counterparts, allocated on the first float32 block.
    private float[][] activations32;
    private float[][] deltas32;
    private float[] outputZ32;
    private int capacity32;
    private float[] params32;
    private float[] gradient32;
    /** The first layer's gradient over sparse blocks, allocated on the first one. */
    private SparseInputGradient sparseGradient;

    /** The network whose passes this scratch is shaped for. */
    public Network network() {
        return network;
    }

    public Workspace(Network network, int capacity) {
        this.network = network;
        allocate(Math.max(1, capacity));
    }

    private void allocate(int rows) {
        int depth = network.depth();
        activations = new double[depth][];
        deltas = new double[depth][];
        for (int l = 0; l < depth; l++) {
            activations[l] = new double[network.units(l) * rows];
            deltas[l] = new double[network.units(l) * rows];
        }
        outputZ = new double[network.outputSize() * rows];
        capacity = rows;
    }

    void ensureCapacity(int rows) {
        if (rows > capacity) {
            allocate(rows);
        }
    }

    void ensureCapacity32(int rows) {
        if (activations32 != null && rows <= capacity32) {
            return;
        }
        int depth = network.depth();
        int size = Math.max(rows, capacity);
        activations32 = new float[depth][];
        deltas32 = new float[depth][];
        for (int l = 0; l < depth; l++) {
            activations32[l] = new float[network.units(l) * size];
            deltas32[l] = new float[network.units(l) * size];
        }
        outputZ32 = new float[network.outputSize() * size];
        capacity32 = size;
    }

    /**
     * {@code params} rounded to float32. Converted on every call (about 1% of a block's work for a
     * 784-256-128-10 network): a cache keyed on the array would go stale when a caller updates its
     * parameters in place between passes.
     */
    float[] params32(double[] params) {
        if (params32 == null || params32.length != params.length) {
            params32 = new float[params.length];
            gradient32 = new float[params.length];
        }
        for (int i = 0; i < params.length; i++) {
            params32[i] = (float) params[i];
        }
        return params32;
    }

    /**
     * {@link #params32(double[])} of the parameters from {@code from} on only: the sparse float32
     * pass reads the first layer's weights from a {@link SparseInputLayer} made once per task,
     * and converting them for every block would cost more than the block's own work.
     */
    float[] params32(double[] params, int from) {
        if (params32 == null || params32.length != params.length) {
            params32 = new float[params.length];
            gradient32 = new float[params.length];
        }
        for (int i = from; i < params.length; i++) {
            params32[i] = (float) params[i];
        }
        return params32;
    }

    /** The first layer's gradient accumulator for sparse blocks. */
    SparseInputGradient sparseGradient() {
        if (sparseGradient == null) {
            sparseGradient = new SparseInputGradient(network);
        }
        return sparseGradient;
    }

    /** A float32 gradient buffer of the parameters' length (valid after {@link #params32}). */
    float[] gradient32() {
        return gradient32;
    }

    float[] activations32(int l) {
        return activations32[l];
    }

    float[] deltas32(int l) {
        return deltas32[l];
    }

    float[] outputZ32() {
        return outputZ32;
    }

    double[] activations(int l) {
        return activations[l];
    }

    double[] deltas(int l) {
        return deltas[l];
    }

    double[] outputZ() {
        return outputZ;
    }
}
