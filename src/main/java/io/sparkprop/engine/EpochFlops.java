package io.sparkprop.engine;

/**
 * The floating-point work of one full-batch epoch, counted as the GEMMs need it: forward
 * 2·N·Σ n_{l−1}n_l, weight gradients the same again, error propagation 2·N·Σ_{l≥2} n_{l−1}n_l
 * (nothing is propagated into the input layer). Element-wise work (activations, biases) is left
 * out: it is what an epoch should not spend its time on.
 */
public final class EpochFlops {
    private EpochFlops() {
    }

    public static double of(Network network, long rows) {
        double weights = 0;
        double propagated = 0;
        for (int l = 0; l < network.depth(); l++) {
            double w = (double) network.fanIn(l) * network.units(l);
            weights += w;
            if (l > 0) {
                propagated += w;
            }
        }
        return 2.0 * rows * (2 * weights + propagated);
    }
}
