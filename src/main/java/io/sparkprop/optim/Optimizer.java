package io.sparkprop.optim;

/**
 * An update rule, applied on the driver once per step.
 *
 * <p>Life cycle: the trainer creates one optimizer per training run and calls {@link #step} once
 * per synchronous step, after the partitions' gradient sums have been merged and divided by the
 * example count. Any state (velocities, moments) belongs to the optimizer and stays on the driver;
 * nothing of it is broadcast.
 */
public interface Optimizer {
    /**
     * Updates {@code params} in place from the mean gradient of the step.
     *
     * @param params the flat parameter vector, modified
     * @param meanGradient ∂C/∂params averaged over the step's examples, not modified
     */
    void step(double[] params, double[] meanGradient);
}
