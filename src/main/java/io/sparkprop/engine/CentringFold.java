package io.sparkprop.engine;

/**
 * Standardisation of sparse inputs that keeps them sparse. Centring, x − μ, turns every zero into
 * −μ; so the blocks hold only the scaled inputs x/σ (zeros stay zeros), and the centring moves
 * into the first layer's biases, exactly:
 * <pre>
 *   W₁ (x − μ)/σ + b₁ = W₁ (x/σ) + b'₁      with  b'₁ = b₁ − W₁ m,  m = μ/σ
 * </pre>
 * The parameters stay those of the standardised inputs — the model, its file, the optimizer and
 * its state see what dense training sees. Only the weights handed to the passes carry the folded
 * biases ({@link #fold}), and the gradient the passes return is mapped back ({@link #unfold}):
 * as b'₁ depends on W₁, {@code ∂L/∂W₁ = ∂L/∂W₁|_{b'} − ∂L/∂b'₁ mᵀ} and {@code ∂L/∂b₁ = ∂L/∂b'₁}.
 * Both are one pass over W₁ per step, on the driver. The result equals dense standardised
 * training up to rounding (not bit for bit: the sums are formed in another order).
 */
public final class CentringFold implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final Network network;
    private final double[] offset;

    public CentringFold(Network network, Standardization standardization) {
        if (standardization.features() != network.inputSize()) {
            throw new IllegalArgumentException("standardisation of " + standardization.features()
                    + " features for a network of " + network.inputSize() + " inputs");
        }
        this.network = network;
        double[] mean = standardization.mean();
        double[] scale = standardization.scale();
        this.offset = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            offset[i] = mean[i] / scale[i];
        }
    }

    /** A copy of {@code params} whose first-layer biases are b₁ − W₁ m: the weights for inputs x/σ. */
    public double[] fold(double[] params) {
        double[] folded = params.clone();
        int fanIn = network.inputSize();
        int weights = network.weightOffset(0);
        int bias = network.biasOffset(0);
        for (int j = 0; j < network.units(0); j++) {
            double shift = 0;
            int row = weights + j * fanIn;
            for (int i = 0; i < fanIn; i++) {
                shift += params[row + i] * offset[i];
            }
            folded[bias + j] -= shift;
        }
        return folded;
    }

    /**
     * Turns a gradient (a sum or a mean) taken at {@link #fold}ed weights into the gradient with
     * respect to the parameters, in place: ∂W₁ −= ∂b₁ mᵀ.
     */
    public void unfold(double[] gradient) {
        int fanIn = network.inputSize();
        int weights = network.weightOffset(0);
        int bias = network.biasOffset(0);
        for (int j = 0; j < network.units(0); j++) {
            double db = gradient[bias + j];
            int row = weights + j * fanIn;
            for (int i = 0; i < fanIn; i++) {
                gradient[row + i] -= db * offset[i];
            }
        }
    }
}
