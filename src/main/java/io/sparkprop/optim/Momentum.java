package io.sparkprop.optim;

/**
 * Gradient descent with (heavy-ball or Nesterov) momentum, in PyTorch's convention:
 *
 * <pre>
 *   v ← μ v + g                      (v starts at 0)
 *   plain:     W ← W − η v
 *   Nesterov:  W ← W − η (g + μ v)
 * </pre>
 *
 * <p>The velocity {@code v} sums past gradients with geometrically decaying weights, so steps grow
 * along directions where the gradient keeps its sign (up to 1/(1−μ) times) and cancel where it
 * oscillates: faster progress through long, narrow valleys. Nesterov's variant steps with the
 * gradient plus the velocity it is about to add, a look-ahead that damps overshooting. Keeping
 * {@code g} out of the η scaling of {@code v} (PyTorch, not Sutskever et al.) means changing η
 * between steps, as a schedule does, rescales the whole step at once instead of lagging behind.
 */
public final class Momentum implements Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private double[] velocity;

    /**
     * @param momentum μ, in [0, 1); 0 gives plain gradient descent
     * @param nesterov whether to use Nesterov's look-ahead step
     */
    public Momentum(double momentum, boolean nesterov) {
        if (!(momentum >= 0.0 && momentum < 1.0)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public void step(double[] params, double[] gradient, double learningRate) {
        Vectors.requireSameLength(params, gradient);
        velocity = Vectors.state(velocity, params.length);
        for (int i = 0; i < params.length; i++) {
            velocity[i] = momentum * velocity[i] + gradient[i];
            double direction = nesterov ? gradient[i] + momentum * velocity[i] : velocity[i];
            params[i] -= learningRate * direction;
        }
    }

    @Override
    public String describe() {
        return (nesterov ? "nesterov" : "momentum") + "(momentum=" + Text.number(momentum) + ")";
    }
}
