package io.sparkprop.optim;

/** Shape checks and the norm shared by the update rules. */
final class Vectors {
    private Vectors() {
    }

    static void requireSameLength(double[] params, double[] gradient) {
        if (params.length != gradient.length) {
            throw new IllegalArgumentException("the gradient has " + gradient.length + " entries, the parameters "
                    + params.length);
        }
    }

    /**
     * Returns {@code state}, or a zero vector of {@code length} entries when it is not allocated yet.
     * Allocating at the first step lets an optimizer be built before the network's size is known.
     */
    static double[] state(double[] state, int length) {
        if (state == null) {
            return new double[length];
        }
        if (state.length != length) {
            throw new IllegalStateException("this optimizer was started on " + state.length
                    + " parameters, not " + length + "; use one optimizer per training run");
        }
        return state;
    }

    /** The Euclidean norm √(Σ xᵢ²). */
    static double norm(double[] x) {
        double sum = 0.0;
        for (double xi : x) {
            sum += xi * xi;
        }
        return Math.sqrt(sum);
    }
}
