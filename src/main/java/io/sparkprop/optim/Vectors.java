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

    /** The Euclidean norm √(Σ xᵢ²). */
    static double norm(double[] x) {
        double sum = 0.0;
        for (double xi : x) {
            sum += xi * xi;
        }
        return Math.sqrt(sum);
    }

    /** Throws {@link IllegalArgumentException} with {@code message} unless {@code condition} holds. */
    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
