package io.sparkprop.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *
 * @param beta1 β1, decay of the first-moment (mean) estimate m, in [0, 1)
 * @param beta2 β2, decay of the second-moment (uncentred variance) estimate v, in [0, 1)
 * @param epsilon ε, added to √v̂, positive
 */
public record Adam(double beta1, double beta2, double epsilon) implements Optimizer {

    /** @throws IllegalArgumentException naming the first value out of its range */
    public Adam {
        requireHyperParameters(beta1, beta2, epsilon);
    }

    /** Kingma and Ba's defaults, also the command line's: β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public Adam() {
        this(0.9, 0.999, 1e-8);
    }

    /** The checks of Adam's hyper-parameters, shared with {@link Lamb}, which takes the same ones. */
    static void requireHyperParameters(double beta1, double beta2, double epsilon) {
        requireDecay("beta1", beta1);
        requireDecay("beta2", beta2);
        Vectors.require(epsilon > 0.0 && Double.isFinite(epsilon), "epsilon must be a positive number, got " + epsilon);
    }

    private static void requireDecay(String name, double beta) {
        Vectors.require(beta >= 0.0 && beta < 1.0, name + " must be in [0, 1), got " + beta);
    }

    @Override
    public Kind kind() {
        return Kind.ADAM;
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> parameters = new LinkedHashMap<>();
        parameters.put("beta1", beta1);
        parameters.put("beta2", beta2);
        parameters.put("epsilon", epsilon);
        return parameters;
    }

    @Override
    public List<String> stateNames() {
        return List.of("firstMoment", "secondMoment");
    }

    @Override
    public void step(double[] params, double[] gradient, double learningRate, long t, double[][] state) {
        Vectors.requireSameLength(params, gradient);
        double[] m = state[0];
        double[] v = state[1];
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
}
