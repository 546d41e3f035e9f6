package io.sparkprop.optim;

import java.util.List;
import java.util.Map;

/**
 * Plain gradient descent: {@code W ← W − η g}.
 *
 * <p>Stateless, so the step depends on the current gradient alone. It is the baseline the other
 * rules are measured against, and with full-batch gradients and a small enough η it already
 * converges to a stationary point.
 */
public record GradientDescent() implements Optimizer {

    @Override
    public Kind kind() {
        return Kind.GD;
    }

    @Override
    public Map<String, Double> parameters() {
        return Map.of();
    }

    @Override
    public List<String> stateNames() {
        return List.of();
    }

    @Override
    public void step(double[] params, double[] gradient, double learningRate, long t, double[][] state) {
        Vectors.requireSameLength(params, gradient);
        for (int i = 0; i < params.length; i++) {
            params[i] -= learningRate * gradient[i];
        }
    }
}
