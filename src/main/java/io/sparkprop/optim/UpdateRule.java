package io.sparkprop.optim;

import static io.sparkprop.optim.Text.number;
import static io.sparkprop.optim.Vectors.require;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the driver updates the weights once per step: gradient clipping, weight decay, the scheduled
 * learning rate (after a linear warm-up, if any) and the optimizer, in that order (see
 * {@link UpdateState#step}). An immutable value, validated when it is built; the base learning
 * rate and the number of epochs belong to the training configuration. {@link UpdateState#create}
 * starts a run's state from it.
 *
 * @param optimizer the update rule and its hyper-parameters
 * @param schedule the learning rate as a function of the epoch
 * @param weightDecay λ of the L2 penalty ½ λ ‖W‖² on the weight matrices (not the biases), 0 (off)
 *     or more
 * @param clipNorm the largest global L2 norm of the mean data gradient, 0 (off) or more
 * @param warmupEpochs W, the length in epochs (fractional allowed) of the linear learning-rate
 *     warm-up in front of the schedule ({@link #rate}), 0 (off) or more
 */
public record UpdateRule(Optimizer optimizer, LearningRateSchedule schedule, double weightDecay, double clipNorm,
                         double warmupEpochs) implements Serializable {

    /** @throws IllegalArgumentException naming the first value out of its range, e.g. {@code clipNorm must be ...} */
    public UpdateRule {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        require(weightDecay >= 0 && Double.isFinite(weightDecay),
                "weightDecay must be 0 (off) or a positive number, got " + weightDecay);
        require(clipNorm >= 0 && Double.isFinite(clipNorm),
                "clipNorm must be 0 (off) or a positive number, got " + clipNorm);
        require(warmupEpochs >= 0 && Double.isFinite(warmupEpochs),
                "warmupEpochs must be 0 (off) or a positive number, got " + warmupEpochs);
    }

    /** Without warm-up: the schedule from the first step. */
    public UpdateRule(Optimizer optimizer, LearningRateSchedule schedule, double weightDecay, double clipNorm) {
        this(optimizer, schedule, weightDecay, clipNorm, 0.0);
    }

    /** Plain gradient descent at a constant rate, without weight decay or clipping. */
    public static UpdateRule defaults() {
        return new UpdateRule(new GradientDescent(), new LearningRateSchedule.Constant(), 0, 0);
    }

    public UpdateRule withOptimizer(Optimizer newOptimizer) {
        return new UpdateRule(newOptimizer, schedule, weightDecay, clipNorm, warmupEpochs);
    }

    public UpdateRule withSchedule(LearningRateSchedule newSchedule) {
        return new UpdateRule(optimizer, newSchedule, weightDecay, clipNorm, warmupEpochs);
    }

    public UpdateRule withWeightDecay(double newWeightDecay) {
        return new UpdateRule(optimizer, schedule, newWeightDecay, clipNorm, warmupEpochs);
    }

    public UpdateRule withClipNorm(double newClipNorm) {
        return new UpdateRule(optimizer, schedule, weightDecay, newClipNorm, warmupEpochs);
    }

    public UpdateRule withWarmupEpochs(double newWarmupEpochs) {
        return new UpdateRule(optimizer, schedule, weightDecay, clipNorm, newWarmupEpochs);
    }

    /**
     * The learning rate of a step: the schedule's, times the linear warm-up's factor while the
     * warm-up lasts,
     *
     * <pre>
     *   η(e) = schedule(e) · min(1, (e + 1/S) / W)        (just schedule(e) when W = 0)
     * </pre>
     *
     * with e the fractional epochs completed before the step and S the steps per epoch, so e + 1/S
     * is where the step ends. With N = W·S warm-up steps the k-th step (1-based) gets k/N of the
     * scheduled rate: η/N, 2η/N, ..., η from step N on (Goyal et al., 2017, "Accurate, Large
     * Minibatch SGD"), and a fractional W, or W·S not a whole number, simply reaches the full
     * rate at the first step that ends at or after W. No step has rate 0.
     *
     * <p>The schedule's clock does not restart after the warm-up: it is the same epoch e
     * throughout, as in Goyal et al., whose step decays stay at the epochs they were set for. The
     * warm-up multiplies the schedule rather than ramping to η, so the rate is continuous at
     * epoch W also when the schedule has already decayed a little by then (cosine, exponential).
     * Large batches need the warm-up because the first steps, from random weights, are where a
     * large η diverges; Adam's and LAMB's moments also settle over them.
     *
     * @param learningRate η, where the schedule starts
     * @param epoch e, fractional epochs completed before the step, 0 or more
     * @param stepsPerEpoch S, synchronous steps per epoch, at least 1
     * @param totalEpochs E, the run's length
     */
    public double rate(double learningRate, double epoch, int stepsPerEpoch, int totalEpochs) {
        double scheduled = schedule.rate(learningRate, epoch, totalEpochs);
        if (warmupEpochs == 0) {
            return scheduled; // the same bits as before warm-up existed
        }
        double reached = (epoch + 1.0 / stepsPerEpoch) / warmupEpochs;
        return reached >= 1.0 ? scheduled : scheduled * reached;
    }

    /**
     * Checks the parts that depend on the base learning rate: η is a positive number, and the
     * cosine schedule's floor is not above it.
     *
     * @throws IllegalArgumentException if not
     */
    public void requireCompatible(double learningRate) {
        require(learningRate > 0 && Double.isFinite(learningRate),
                "learning rate must be a positive number, got " + learningRate);
        if (schedule instanceof LearningRateSchedule.Cosine cosine) {
            require(cosine.minLearningRate() <= learningRate, "minimum learning rate must be between 0 and the"
                    + " learning rate " + learningRate + ", got " + cosine.minLearningRate());
        }
    }

    /**
     * The whole rule, for logs, e.g. {@code gd, constant(lr=0.5), weight-decay=0, clip-norm=0}, or
     * with a warm-up {@code lamb(beta1=0.9, beta2=0.999, epsilon=1E-8), warmup(epochs=0.5),
     * cosine(lr=0.01, min=0, epochs=30), weight-decay=0, clip-norm=0}.
     *
     * @param learningRate η, where the schedule starts
     * @param totalEpochs the run's length
     */
    public String describe(double learningRate, int totalEpochs) {
        String warmup = warmupEpochs == 0 ? "" : "warmup(epochs=" + number(warmupEpochs) + "), ";
        return optimizer.describe() + ", " + warmup + schedule.describe(learningRate, totalEpochs) + ", weight-decay="
                + number(weightDecay) + ", clip-norm=" + number(clipNorm);
    }

    /**
     * The rule as the model metadata records it ({@code training.optimizer}): the optimizer's name
     * and hyper-parameters, weight decay, clipping, the schedule's name and parameters, e.g.
     * {@code {optimizer=adam, beta1=0.9, beta2=0.999, epsilon=1.0E-8, weightDecay=0.0, clipNorm=0.0,
     * schedule=cosine, minLearningRate=0.0}}. Only the parameters the chosen rule and schedule use
     * appear, each under its option's name; {@code warmupEpochs} last, and only when there is a
     * warm-up, so a run without one records (and a checkpoint compares) the same settings as
     * before warm-up existed.
     */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("optimizer", optimizer.kind().id());
        settings.putAll(optimizer.parameters());
        settings.put("weightDecay", weightDecay);
        settings.put("clipNorm", clipNorm);
        settings.put("schedule", schedule.kind().id());
        settings.putAll(schedule.parameters());
        if (warmupEpochs > 0) {
            settings.put("warmupEpochs", warmupEpochs);
        }
        return settings;
    }
}
