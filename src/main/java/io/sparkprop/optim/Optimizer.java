package io.sparkprop.optim;

/**
 * An update rule for the flat parameter vector, applied on the driver once per step.
 *
 * <p>Life cycle: the trainer creates one optimizer per training run and calls {@link #step} once
 * per synchronous step, after the partitions' gradient sums have been merged and divided by the
 * example count. Stateful rules (velocities, moments) allocate their state at the first step, sized
 * to the parameter vector, and keep it on the driver: nothing of it is broadcast, because the
 * executors only need the weights. An instance is therefore bound to one parameter vector and must
 * not be shared between runs.
 */
public interface Optimizer {
    /**
     * Updates {@code params} in place from the step's mean gradient.
     *
     * @param params the flat parameter vector, modified
     * @param gradient ∂C/∂params for this step, same length as {@code params}, not modified
     * @param learningRate η for this step, from the schedule
     * @throws IllegalArgumentException if the lengths differ
     * @throws IllegalStateException if a stateful optimizer sees a vector of another length than at
     *     its first step
     */
    void step(double[] params, double[] gradient, double learningRate);

    /** The rule and its hyperparameters, for logs and model metadata, e.g. {@code adam(beta1=0.9, ...)}. */
    String describe();
}
