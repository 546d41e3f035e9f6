package io.sparkprop.optim;

import io.sparkprop.engine.Network;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * How to update the weights, as the command line gives it: plain values, validated here (the edge)
 * with messages that name the option, and recorded in the model's metadata. The learning rate and
 * the number of epochs are not part of it, as the training configuration already holds them.
 * Names are case-insensitive and kept in lower case.
 *
 * @param optimizer {@code --optimizer}: gd, momentum, nesterov or adam (default gd)
 * @param momentum {@code --momentum}: μ of momentum and nesterov, in [0, 1) (default 0.9)
 * @param beta1 {@code --beta1}: Adam's first-moment decay, in [0, 1) (default 0.9)
 * @param beta2 {@code --beta2}: Adam's second-moment decay, in [0, 1) (default 0.999)
 * @param epsilon {@code --epsilon}: Adam's ε, positive (default 1e-8)
 * @param weightDecay {@code --weight-decay}: λ of the L2 penalty on the weights, 0 = off (default)
 * @param clipNorm {@code --clip-norm}: the largest L2 norm of the data gradient, 0 = off (default)
 * @param schedule {@code --lr-schedule}: constant, step, exponential or cosine (default constant)
 * @param decay {@code --lr-decay}: γ of the step and exponential schedules, in (0, 1] (default
 *     0.5: halve the rate every {@code decayEpochs} with step; per epoch, exponential wants a value
 *     close to 1, such as 0.97)
 * @param decayEpochs {@code --lr-decay-epochs}: k of the step schedule, positive (default 10)
 * @param minLearningRate {@code --lr-min}: the cosine schedule's final rate, in [0, learning rate]
 *     (default 0)
 */
public record OptimizerConfig(String optimizer, double momentum, double beta1, double beta2, double epsilon,
                              double weightDecay, double clipNorm, String schedule, double decay,
                              double decayEpochs, double minLearningRate) implements Serializable {

    private enum Rule { GD, MOMENTUM, NESTEROV, ADAM }

    private enum Schedule { CONSTANT, STEP, EXPONENTIAL, COSINE }

    public OptimizerConfig {
        optimizer = parse(Rule.class, Objects.requireNonNull(optimizer, "--optimizer"),
                "unknown optimizer '" + optimizer + "' (expected gd, momentum, nesterov or adam)").name()
                .toLowerCase(Locale.ROOT);
        schedule = parse(Schedule.class, Objects.requireNonNull(schedule, "--lr-schedule"),
                "unknown learning-rate schedule '" + schedule + "' (expected constant, step, exponential or cosine)")
                .name().toLowerCase(Locale.ROOT);
        requireFraction("--momentum", momentum);
        requireFraction("--beta1", beta1);
        requireFraction("--beta2", beta2);
        require(epsilon > 0 && Double.isFinite(epsilon), "--epsilon must be a positive number, got " + epsilon);
        requireOptional("--weight-decay", weightDecay);
        requireOptional("--clip-norm", clipNorm);
        require(decay > 0 && decay <= 1, "--lr-decay must be in (0, 1], got " + decay);
        require(decayEpochs > 0 && Double.isFinite(decayEpochs),
                "--lr-decay-epochs must be a positive number, got " + decayEpochs);
        require(minLearningRate >= 0 && Double.isFinite(minLearningRate),
                "--lr-min must be 0 or a positive number, got " + minLearningRate);
    }

    /** Plain gradient descent at a constant rate, without weight decay or clipping. */
    public static OptimizerConfig defaults() {
        return new OptimizerConfig("gd", 0.9, 0.9, 0.999, 1e-8, 0, 0, "constant", 0.5, 10, 0);
    }

    /**
     * A fresh update rule for one training run.
     *
     * @param learningRate the initial η of the schedule
     * @param totalEpochs the run's length, over which the cosine schedule anneals
     * @throws IllegalArgumentException if the learning rate is not positive, or below {@code --lr-min}
     *     with the cosine schedule
     */
    public UpdateRule newUpdateRule(Network network, double learningRate, int totalEpochs) {
        Optimizer rule = switch (Rule.valueOf(optimizer.toUpperCase(Locale.ROOT))) {
            case GD -> new GradientDescent();
            case MOMENTUM -> new Momentum(momentum, false);
            case NESTEROV -> new Momentum(momentum, true);
            case ADAM -> new Adam(beta1, beta2, epsilon);
        };
        LearningRateSchedule rates = switch (Schedule.valueOf(schedule.toUpperCase(Locale.ROOT))) {
            case CONSTANT -> new LearningRateSchedule.Constant(learningRate);
            case STEP -> new LearningRateSchedule.Step(learningRate, decayEpochs, decay);
            case EXPONENTIAL -> new LearningRateSchedule.Exponential(learningRate, decay);
            case COSINE -> new LearningRateSchedule.Cosine(learningRate, minLearningRate, totalEpochs);
        };
        return new UpdateRule(network, rule, rates, weightDecay, clipNorm);
    }

    private static <E extends Enum<E>> E parse(Class<E> names, String name, String unknown) {
        try {
            return Enum.valueOf(names, name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(unknown);
        }
    }

    private static void requireFraction(String option, double value) {
        require(value >= 0 && value < 1, option + " must be in [0, 1), got " + value);
    }

    private static void requireOptional(String option, double value) {
        require(value >= 0 && Double.isFinite(value), option + " must be 0 (off) or a positive number, got " + value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
