package io.sparkprop.optim;

/** Plain gradient descent: {@code W ← W − η ∇}. Stateless. */
public final class GradientDescent implements Optimizer {
    private final double learningRate;

    public GradientDescent(double learningRate) {
        if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public void step(double[] params, double[] meanGradient) {
        for (int i = 0; i < params.length; i++) {
            params[i] -= learningRate * meanGradient[i];
        }
    }
}
