package io.sparkprop.engine;

/**
 * Per-example losses and the output error δ_L they induce, as in DESIGN.md §1.
 *
 * <p>Cross-entropies are computed from the output layer's pre-activations {@code z} (log-sum-exp
 * and softplus forms), so the loss stays finite and exact even where the output saturates to
 * 0 or 1 in floating point.
 */
public enum Loss {
    /** ½ Σ_k (o_k − y_k)²; δ = (o − y) ⊙ f'(z) for any output activation. */
    SQUARED_ERROR,
    /** −Σ_k [y_k log o_k + (1 − y_k) log(1 − o_k)] with sigmoid outputs; δ = o − y. */
    BINARY_CROSS_ENTROPY,
    /** −Σ_k y_k log o_k with a softmax output; δ = o − y. */
    CATEGORICAL_CROSS_ENTROPY;

    /** Parses {@code squared-error}, {@code binary-cross-entropy} or {@code cross-entropy} (and short forms). */
    public static Loss parse(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
            case "squared-error", "mse", "se" -> SQUARED_ERROR;
            case "binary-cross-entropy", "bce" -> BINARY_CROSS_ENTROPY;
            case "categorical-cross-entropy", "cross-entropy", "ce" -> CATEGORICAL_CROSS_ENTROPY;
            default -> throw new IllegalArgumentException("unknown loss '" + name
                    + "' (expected squared-error, binary-cross-entropy or cross-entropy)");
        };
    }

    /**
     * The loss that goes with an output activation when none is chosen: categorical cross-entropy
     * for softmax, binary cross-entropy for sigmoid, squared error for any other output.
     */
    public static Loss defaultFor(Activation output) {
        return switch (output) {
            case SOFTMAX -> CATEGORICAL_CROSS_ENTROPY;
            case SIGMOID -> BINARY_CROSS_ENTROPY;
            case IDENTITY, TANH, RELU -> SQUARED_ERROR;
        };
    }

    /** The name used in model files and on the command line. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The output activation this loss requires, or {@code null} when any will do. */
    Activation requiredOutput() {
        return switch (this) {
            case SQUARED_ERROR -> null;
            case BINARY_CROSS_ENTROPY -> Activation.SIGMOID;
            case CATEGORICAL_CROSS_ENTROPY -> Activation.SOFTMAX;
        };
    }

    /**
     * Writes δ_L for {@code batch} columns of {@code units} outputs into {@code delta} and returns
     * the loss summed over the batch; with {@code weights}, each column's loss and δ are scaled by
     * its weight (a weight of 1 changes no bit, so unweighted rows give exactly the unweighted sums).
     *
     * @param z pre-activations of the output layer (units × batch, column-major)
     * @param o outputs {@code f(z)}
     * @param y targets, same shape
     * @param delta overwritten with ∂C/∂z
     * @param weights one weight per column, or null for all 1
     */
    double lossAndDelta(Activation output, double[] z, double[] o, double[] y, double[] delta,
                        int units, int batch, double[] weights) {
        double loss = 0.0;
        switch (this) {
            case SQUARED_ERROR -> {
                for (int r = 0, i = 0; r < batch; r++) {
                    double w = weights == null ? 1.0 : weights[r];
                    for (int j = 0; j < units; j++, i++) {
                        double d = o[i] - y[i];
                        delta[i] = w * d;
                        loss += w * (d * d);
                    }
                }
                loss *= 0.5;
                output.backpropagate(o, delta, units, batch);
            }
            case BINARY_CROSS_ENTROPY -> {
                for (int r = 0, i = 0; r < batch; r++) {
                    double w = weights == null ? 1.0 : weights[r];
                    for (int j = 0; j < units; j++, i++) {
                        // −[y log σ(z) + (1−y) log(1−σ(z))] = max(z,0) − y z + log(1 + e^{−|z|})
                        double zi = z[i];
                        loss += w * (Math.max(zi, 0.0) - y[i] * zi + Math.log1p(Math.exp(-Math.abs(zi))));
                        delta[i] = w * (o[i] - y[i]);
                    }
                }
            }
            case CATEGORICAL_CROSS_ENTROPY -> {
                for (int r = 0, c = 0; r < batch; r++, c += units) {
                    double w = weights == null ? 1.0 : weights[r];
                    // −Σ y_k log softmax(z)_k = Σ y_k (logsumexp(z) − z_k)
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = c; k < c + units; k++) {
                        max = Math.max(max, z[k]);
                    }
                    double sumExp = 0.0;
                    for (int k = c; k < c + units; k++) {
                        sumExp += Math.exp(z[k] - max);
                    }
                    double logSumExp = max + Math.log(sumExp);
                    for (int k = c; k < c + units; k++) {
                        loss += w * (y[k] * (logSumExp - z[k]));
                        delta[k] = w * (o[k] - y[k]);
                    }
                }
            }
        }
        return loss;
    }

    /**
     * {@link #lossAndDelta(Activation, double[], double[], double[], double[], int, int, double[])}
     * for float32 matrices; the loss is accumulated in float64.
     */
    double lossAndDelta(Activation output, float[] z, float[] o, float[] y, float[] delta, int units, int batch,
                        double[] weights) {
        double loss = 0.0;
        switch (this) {
            case SQUARED_ERROR -> {
                for (int r = 0, i = 0; r < batch; r++) {
                    double w = weights == null ? 1.0 : weights[r];
                    for (int j = 0; j < units; j++, i++) {
                        float d = o[i] - y[i];
                        delta[i] = (float) (w * d);
                        loss += w * ((double) d * d);
                    }
                }
                loss *= 0.5;
                output.backpropagate(o, delta, units, batch);
            }
            case BINARY_CROSS_ENTROPY -> {
                for (int r = 0, i = 0; r < batch; r++) {
                    double w = weights == null ? 1.0 : weights[r];
                    for (int j = 0; j < units; j++, i++) {
                        double zi = z[i];
                        loss += w * (Math.max(zi, 0.0) - y[i] * zi + Math.log1p(Math.exp(-Math.abs(zi))));
                        delta[i] = (float) (w * (o[i] - y[i]));
                    }
                }
            }
            case CATEGORICAL_CROSS_ENTROPY -> {
                for (int r = 0, c = 0; r < batch; r++, c += units) {
                    double w = weights == null ? 1.0 : weights[r];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = c; k < c + units; k++) {
                        max = Math.max(max, z[k]);
                    }
                    double sumExp = 0.0;
                    for (int k = c; k < c + units; k++) {
                        sumExp += Math.exp(z[k] - max);
                    }
                    double logSumExp = max + Math.log(sumExp);
                    for (int k = c; k < c + units; k++) {
                        loss += w * (y[k] * (logSumExp - z[k]));
                        delta[k] = (float) (w * (o[k] - y[k]));
                    }
                }
            }
        }
        return loss;
    }
}
