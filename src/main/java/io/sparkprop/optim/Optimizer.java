package io.sparkprop.optim;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * An update rule for the flat parameter vector and its hyper-parameters: a small immutable value,
 * validated when it is built. The rule's state (velocities, moments, the step count) is not part of
 * it: {@link UpdateState} holds that, sized to one network, and passes it to {@link #step} once per
 * synchronous step on the driver. Nothing of it is broadcast, because the executors only need the
 * weights.
 *
 * <p>The hyper-parameters carry Spark's names ({@code momentum}, {@code beta1}, {@code beta2},
 * {@code epsilon}), which are also the command line's options and the keys of the model metadata.
 * Each record's constructor refuses a value out of range with a message that starts with the
 * parameter's name, e.g. {@code beta2 must be in [0, 1), got 1.0}.
 */
public sealed interface Optimizer extends Serializable permits GradientDescent, Momentum, Nesterov, Adam, Lamb {

    /** The optimizers by name, as {@code --optimizer} and the metadata spell them. */
    enum Kind {
        GD, MOMENTUM, NESTEROV, ADAM, LAMB;

        /** The lower-case name, e.g. {@code adam}. */
        public String id() {
            return Text.id(this);
        }

        /**
         * The optimizer named {@code name}, whatever its case.
         *
         * @throws IllegalArgumentException e.g. {@code unknown optimizer 'sgd' (expected gd, momentum,
         *     nesterov, adam or lamb)}
         */
        public static Kind parse(String name) {
            return Text.parse(Kind.class, name, "optimizer");
        }
    }

    /** Which optimizer this is. */
    Kind kind();

    /** The hyper-parameters by name, in a fixed order, for logs and model metadata; empty for gd. */
    Map<String, Double> parameters();

    /**
     * The names of the state vectors {@link #step} takes, in that order, each as long as the
     * parameter vector and starting at zero: none for gd, {@code velocity} for the momentum rules,
     * {@code firstMoment} and {@code secondMoment} for Adam and LAMB.
     */
    List<String> stateNames();

    /**
     * Updates {@code params} in place from the step's gradient, and {@code state} with it.
     *
     * @param params the flat parameter vector, modified
     * @param gradient ∂C/∂params for this step, same length as {@code params}, not modified
     * @param learningRate η for this step, from the schedule
     * @param t the number of this step, 1 at the first
     * @param state the vectors {@link #stateNames()} names, in that order, as long as {@code params};
     *     modified
     * @throws IllegalArgumentException if the gradient's length differs from the parameters'
     */
    void step(double[] params, double[] gradient, double learningRate, long t, double[][] state);

    /**
     * {@link #step(double[], double[], double, long, double[][]) step} for a vector made of
     * {@code tensors} (a network's weight matrices and bias vectors, {@link Tensors#of}), which
     * {@link UpdateState} passes. The element-wise rules ignore the layout, so this is their plain
     * step; {@link Lamb} scales its step per tensor.
     *
     * @param tensors the parameter tensors, covering exactly {@code params}
     * @throws IllegalArgumentException if the gradient's length differs from the parameters', or
     *     (where the layout is used) the tensors cover another length
     */
    default void step(double[] params, double[] gradient, double learningRate, long t, double[][] state,
                      Tensors tensors) {
        step(params, gradient, learningRate, t, state);
    }

    /** The rule and its hyper-parameters, for logs, e.g. {@code adam(beta1=0.9, beta2=0.999, epsilon=1E-8)}. */
    default String describe() {
        return Text.call(kind().id(), parameters());
    }
}
