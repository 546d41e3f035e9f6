package io.sparkprop.optim;

/**
 * Adam (Kingma and Ba, 2015):
 *
 * <pre>
 *   t ← t + 1
 *   m ← β1 m + (1 − β1) g                 (m, v start at 0)
 *   v ← β2 v + (1 − β2) g²                (element-wise)
 *   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
 *   W ← W − η m̂ / (√v̂ + ε)
 * </pre>
 *
 * <p>Dividing by the root mean square of recent gradients gives every parameter its own step size,
 * about η whatever the gradient's scale, which suits layers whose gradients differ by orders of
 * magnitude. Started at zero, m and v are (1 − β1^t) and (1 − β2^t) times the weighted means
 * they estimate; the bias corrections divide that out, so the early steps are neither damped nor
 * inflated. The first step is then exactly {@code η · sign(g)} up to ε, which only guards
 * against division by zero.
 */
public final class Adam implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double[] m;
    private double[] v;
    private int t;

    /**
     * @param beta1 decay of the first-moment (mean) estimate, in [0, 1)
     * @param beta2 decay of the second-moment (uncentred variance) estimate, in [0, 1)
     * @param epsilon added to √v̂, positive
     */
    public Adam(double beta1, double beta2, double epsilon) {
        requireDecay("beta1", beta1);
        requireDecay("beta2", beta2);
        if (!(epsilon > 0.0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("epsilon must be a positive number, got " + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    private static void requireDecay(String name, double beta) {
        if (!(beta >= 0.0 && beta < 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
        }
    }

    @Override
    public void step(double[] params, double[] gradient, double learningRate) {
        Vectors.requireSameLength(params, gradient);
        m = Vectors.state(m, params.length);
        v = Vectors.state(v, params.length);
        t++;
        double correction1 = 1.0 - Math.pow(beta1, t);
        double correction2 = 1.0 - Math.pow(beta2, t);
        for (int i = 0; i < params.length; i++) {
            double g = gradient[i];
            m[i] = beta1 * m[i] + (1.0 - beta1) * g;
            v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
            double mHat = m[i] / correction1;
            double vHat = v[i] / correction2;
            params[i] -= learningRate * mHat / (Math.sqrt(vHat) + epsilon);
        }
    }

    @Override
    public String describe() {
        return "adam(beta1=" + Text.number(beta1) + ", beta2=" + Text.number(beta2) + ", epsilon="
                + Text.number(epsilon) + ")";
    }
}
