package io.sparkprop.optim;

import static io.sparkprop.optim.Text.number;
import static io.sparkprop.optim.Vectors.require;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the driver updates the weights once per step: gradient clipping, weight decay, the scheduled
 * learning rate and the optimizer, in that order (see {@link UpdateState#step}). An immutable
 * value, validated when it is built; the base learning rate and the number of epochs belong to the
 * training configuration. {@link UpdateState#create} starts a run's state from it.
 *
 * @param optimizer the update rule and its hyper-parameters
 * @param schedule the learning rate as a function of the epoch
 * @param weightDecay λ of the L2 penalty ½ λ ‖W‖² on the weight matrices (not the biases), 0 (off)
 *     or more
 * @param clipNorm the largest global L2 norm of the mean data gradient, 0 (off) or more
 */
public record UpdateRule(Optimizer optimizer, LearningRateSchedule schedule, double weightDecay, double clipNorm)
        implements Serializable {

    /** @throws IllegalArgumentException naming the first value out of its range, e.g. {@code clipNorm must be ...} */
    public UpdateRule {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        require(weightDecay >= 0 && Double.isFinite(weightDecay),
                "weightDecay must be 0 (off) or a positive number, got " + weightDecay);
        require(clipNorm >= 0 && Double.isFinite(clipNorm),
                "clipNorm must be 0 (off) or a positive number, got " + clipNorm);
    }

    /** Plain gradient descent at a constant rate, without weight decay or clipping. */
    public static UpdateRule defaults() {
        return new UpdateRule(new GradientDescent(), new LearningRateSchedule.Constant(), 0, 0);
    }

    public UpdateRule withOptimizer(Optimizer newOptimizer) {
        return new UpdateRule(newOptimizer, schedule, weightDecay, clipNorm);
    }

    public UpdateRule withSchedule(LearningRateSchedule newSchedule) {
        return new UpdateRule(optimizer, newSchedule, weightDecay, clipNorm);
    }

    public UpdateRule withWeightDecay(double newWeightDecay) {
        return new UpdateRule(optimizer, schedule, newWeightDecay, clipNorm);
    }

    public UpdateRule withClipNorm(double newClipNorm) {
        return new UpdateRule(optimizer, schedule, weightDecay, newClipNorm);
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
     * The whole rule, for logs, e.g. {@code gd, constant(lr=0.5), weight-decay=0, clip-norm=0}.
     *
     * @param learningRate η, where the schedule starts
     * @param totalEpochs the run's length
     */
    public String describe(double learningRate, int totalEpochs) {
        return optimizer.describe() + ", " + schedule.describe(learningRate, totalEpochs) + ", weight-decay="
                + number(weightDecay) + ", clip-norm=" + number(clipNorm);
    }

    /**
     * The rule as the model metadata records it ({@code training.optimizer}): the optimizer's name
     * and hyper-parameters, weight decay, clipping, the schedule's name and parameters, e.g.
     * {@code {optimizer=adam, beta1=0.9, beta2=0.999, epsilon=1.0E-8, weightDecay=0.0, clipNorm=0.0,
     * schedule=cosine, minLearningRate=0.0}}. Only the parameters the chosen rule and schedule use
     * appear, each under its option's name.
     */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("optimizer", optimizer.kind().id());
        settings.putAll(optimizer.parameters());
        settings.put("weightDecay", weightDecay);
        settings.put("clipNorm", clipNorm);
        settings.put("schedule", schedule.kind().id());
        settings.putAll(schedule.parameters());
        return settings;
    }
}
