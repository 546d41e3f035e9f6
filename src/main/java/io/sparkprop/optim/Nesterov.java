package io.sparkprop.optim;

import java.util.List;
import java.util.Map;

/**
 * Gradient descent with Nesterov momentum, in PyTorch's convention:
 *
 * <pre>
 *   v ← μ v + g              (v starts at 0)
 *   W ← W − η (g + μ v)
 * </pre>
 *
 * <p>Like {@link Momentum}, but the step takes the gradient plus the velocity it is about to add: a
 * look-ahead that reacts to a change of the gradient sooner and damps overshooting.
 *
 * @param momentum μ, in [0, 1); 0 gives plain gradient descent
 */
public record Nesterov(double momentum) implements Optimizer {

    /** @throws IllegalArgumentException if μ is not in [0, 1) */
    public Nesterov {
        Momentum.requireMomentum(momentum);
    }

    /** μ = 0.9. */
    public Nesterov() {
        this(Momentum.DEFAULT_MOMENTUM);
    }

    @Override
    public Kind kind() {
        return Kind.NESTEROV;
    }

    @Override
    public Map<String, Double> parameters() {
        return Map.of("momentum", momentum);
    }

    @Override
    public List<String> stateNames() {
        return List.of("velocity");
    }

    @Override
    public void step(double[] params, double[] gradient, double learningRate, long t, double[][] state) {
        Vectors.requireSameLength(params, gradient);
        double[] velocity = state[0];
        for (int i = 0; i < params.length; i++) {
            velocity[i] = momentum * velocity[i] + gradient[i];
            params[i] -= learningRate * (gradient[i] + momentum * velocity[i]);
        }
    }
}
