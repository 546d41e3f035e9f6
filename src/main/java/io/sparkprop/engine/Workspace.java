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
