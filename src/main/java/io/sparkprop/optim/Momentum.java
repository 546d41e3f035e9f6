package io.sparkprop.optim;

import java.util.List;
import java.util.Map;

/**
 * Gradient descent with heavy-ball momentum, in PyTorch's convention:
 *
 * <pre>
 *   v ← μ v + g        (v starts at 0)
 *   W ← W − η v
 * </pre>
 *
 * <p>The velocity {@code v} sums past gradients with geometrically decaying weights, so steps grow
 * along directions where the gradient keeps its sign (up to 1/(1−μ) times) and cancel where it
 * oscillates: faster progress through long, narrow valleys. Keeping {@code g} out of the η scaling
 * of {@code v} (PyTorch, not Sutskever et al.) means changing η between steps, as a schedule does,
 * rescales the whole step at once instead of lagging behind. {@link Nesterov} adds a look-ahead.
 *
 * @param momentum μ, in [0, 1); 0 gives plain gradient descent
 */
public record Momentum(double momentum) implements Optimizer {
    /** μ = 0.9, the command line's default. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    /** @throws IllegalArgumentException if μ is not in [0, 1) */
    public Momentum {
        requireMomentum(momentum);
    }

    /** μ = 0.9. */
    public Momentum() {
        this(DEFAULT_MOMENTUM);
    }

    static void requireMomentum(double momentum) {
        Vectors.require(momentum >= 0.0 && momentum < 1.0, "momentum must be in [0, 1), got " + momentum);
    }

    @Override
    public Kind kind() {
        return Kind.MOMENTUM;
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
            params[i] -= learningRate * velocity[i];
        }
    }
}
