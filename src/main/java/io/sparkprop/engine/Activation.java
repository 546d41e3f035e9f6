package io.sparkprop.engine;

/**
 * Activation functions applied column by column to a units × batch matrix stored column-major
 * (one example per column, its units contiguous).
 *
 * <p>Every derivative is computed from the activation's output {@code a = f(z)}, so the engine
 * keeps only the outputs of the hidden layers: σ'(z) = a(1 − a), tanh'(z) = 1 − a²,
 * relu'(z) = [a > 0], identity'(z) = 1. Softmax is allowed on the output layer only; its
 * Jacobian is applied as a whole (see {@link #backpropagate}).
 */
public enum Activation {
    SIGMOID, TANH, RELU, IDENTITY, SOFTMAX;

    /**
     * Whether the SIMD kernels can be used: the JVM was started with jdk.incubator.vector. Without
     * it the sigmoid takes {@link PortableSigmoid}, which gives the same bits more slowly.
     */
    private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Parses a case-insensitive name such as {@code "relu"}. */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "' (expected one of sigmoid, tanh, relu, identity, softmax)");
    }

    /** The lower-case name used in layer specs and model files. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * {@code a = f(z)} for {@code batch} columns of {@code units} entries; {@code z} and {@code a}
     * may be the same array. Softmax subtracts each column's maximum before exponentiating.
     */
    public void apply(double[] z, double[] a, int units, int batch) {
        int n = units * batch;
        switch (this) {
            case SIGMOID -> {
                if (VECTOR_API) {
                    VectorKernels.sigmoid(z, a, n);
                } else {
                    PortableSigmoid.sigmoid(z, a, 0, n);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    a[i] = Math.tanh(z[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    a[i] = Math.max(z[i], 0.0);
                }
            }
            case IDENTITY -> {
                if (a != z) {
                    System.arraycopy(z, 0, a, 0, n);
                }
            }
            case SOFTMAX -> {
                for (int c = 0; c < n; c += units) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = c; k < c + units; k++) {
                        max = Math.max(max, z[k]);
                    }
                    double sum = 0.0;
                    for (int k = c; k < c + units; k++) {
                        a[k] = Math.exp(z[k] - max);
                        sum += a[k];
                    }
                    double inv = 1.0 / sum;
                    for (int k = c; k < c + units; k++) {
                        a[k] *= inv;
                    }
                }
            }
        }
    }

    /** {@link #apply(double[], double[], int, int)} in float32. */
    void apply(float[] z, float[] a, int units, int batch) {
        int n = units * batch;
        switch (this) {
            case SIGMOID -> {
                if (VECTOR_API) {
                    VectorKernels.sigmoid(z, a, n);
                } else {
                    PortableSigmoid.sigmoid(z, a, 0, n);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    a[i] = (float) Math.tanh(z[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    a[i] = Math.max(z[i], 0f);
                }
            }
            case IDENTITY -> {
                if (a != z) {
                    System.arraycopy(z, 0, a, 0, n);
                }
            }
            case SOFTMAX -> {
                for (int c = 0; c < n; c += units) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int k = c; k < c + units; k++) {
                        max = Math.max(max, z[k]);
                    }
                    double sum = 0.0;
                    for (int k = c; k < c + units; k++) {
                        a[k] = (float) Math.exp(z[k] - max);
                        sum += a[k];
                    }
                    float inv = (float) (1.0 / sum);
                    for (int k = c; k < c + units; k++) {
                        a[k] *= inv;
                    }
                }
            }
        }
    }

    /** {@link #backpropagate(double[], double[], int, int)} in float32. */
    void backpropagate(float[] a, float[] g, int units, int batch) {
        int n = units * batch;
        switch (this) {
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    g[i] *= a[i] * (1f - a[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    g[i] *= 1f - a[i] * a[i];
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    if (a[i] <= 0f) {
                        g[i] = 0f;
                    }
                }
            }
            case IDENTITY -> { }
            case SOFTMAX -> {
                for (int c = 0; c < n; c += units) {
                    float dot = 0f;
                    for (int k = c; k < c + units; k++) {
                        dot += g[k] * a[k];
                    }
                    for (int k = c; k < c + units; k++) {
                        g[k] = a[k] * (g[k] - dot);
                    }
                }
            }
        }
    }

    /**
     * Turns {@code g = ∂C/∂a} into {@code ∂C/∂z} in place, given the outputs {@code a}.
     * Element-wise for every activation but softmax, whose Jacobian gives
     * {@code ∂C/∂z_k = a_k (g_k − Σ_j g_j a_j)} per column.
     */
    void backpropagate(double[] a, double[] g, int units, int batch) {
        int n = units * batch;
        switch (this) {
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    g[i] *= a[i] * (1.0 - a[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    g[i] *= 1.0 - a[i] * a[i];
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    if (a[i] <= 0.0) {
                        g[i] = 0.0;
                    }
                }
            }
            case IDENTITY -> { }
            case SOFTMAX -> {
                for (int c = 0; c < n; c += units) {
                    double dot = 0.0;
                    for (int k = c; k < c + units; k++) {
                        dot += g[k] * a[k];
                    }
                    for (int k = c; k < c + units; k++) {
                        g[k] = a[k] * (g[k] - dot);
                    }
                }
            }
        }
    }
}
