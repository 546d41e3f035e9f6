package io.sparkprop.optim;

/**
 * Plain gradient descent: {@code W ← W − η g}.
 *
 * <p>Stateless, so the step depends on the current gradient alone. It is the baseline the other
 * rules are measured against, and with full-batch gradients and a small enough η it already
 * converges to a stationary point.
 */
public final class GradientDescent implements Optimizer {

    @Override
    public void step(double[] params, double[] gradient, double learningRate) {
        Vectors.requireSameLength(params, gradient);
        for (int i = 0; i < params.length; i++) {
            params[i] -= learningRate * gradient[i];
        }
    }

    @Override
    public String describe() {
        return "gd";
    }
}
