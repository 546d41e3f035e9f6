package io.sparkprop.optim;

import static io.sparkprop.optim.Text.number;

import io.sparkprop.engine.Network;

/**
 * One driver-side update per step: gradient clipping, weight decay, the scheduled learning rate
 * and the optimizer, in that order. The trainer builds one per training run (it owns the
 * optimizer's state) and calls {@link #apply} once per step with the mean data gradient.
 *
 * <p>Clipping comes first, so the threshold applies to the data gradient alone: it then bounds
 * the same quantity whatever the size of the weights, and never scales the decay term away.
 */
public final class UpdateRule {
    private final Network network;
    private final int parameterCount;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final double weightDecay;
    private final double clipNorm;
    private double lastGradientNorm = Double.NaN;

    /**
     * @param network the architecture, whose layout tells weights from biases
     * @param optimizer a fresh optimizer, used by this rule alone
     * @param schedule the learning rate per epoch
     * @param weightDecay λ, 0 (off) or more
     * @param clipNorm the largest global L2 norm of the data gradient, 0 (off) or more
     */
    public UpdateRule(Network network, Optimizer optimizer, LearningRateSchedule schedule, double weightDecay,
                      double clipNorm) {
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new IllegalArgumentException("weight decay must be 0 (off) or a positive number, got " + weightDecay);
        }
        if (!(clipNorm >= 0 && Double.isFinite(clipNorm))) {
            throw new IllegalArgumentException("clip norm must be 0 (off) or a positive number, got " + clipNorm);
        }
        this.network = network;
        this.parameterCount = network.parameterCount();
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
    }

    /**
     * Updates {@code params} in place from the step's mean data gradient {@code g}:
     *
     * <ol>
     *   <li>clipping, if clipNorm c &gt; 0 and ‖g‖₂ &gt; c: {@code g ← g · c / ‖g‖₂} (the direction
     *       is kept, only the length is bounded, so one exploding step cannot throw the weights
     *       far away);
     *   <li>weight decay, if λ &gt; 0: {@code g ← g + λ W} on the weight matrices only. This is the
     *       gradient of the L2 penalty ½ λ ‖W‖², which keeps weights small and the fit smooth;
     *       biases only shift the units and are not decayed. With Adam this is L2-regularised Adam,
     *       not AdamW: the penalty is rescaled per parameter like any gradient;
     *   <li>{@code optimizer.step(params, g, schedule.rate(epoch))}.
     * </ol>
     *
     * The gradient must be finite (the trainer checks it first).
     *
     * @param params the flat parameter vector, modified
     * @param meanGradient the mean data gradient; modified: it ends as the gradient the optimizer
     *     stepped with (clipped, plus decay), to spare a copy of the parameter vector per step
     * @param epoch fractional epochs completed before this step
     * @return the learning rate used
     */
    public double apply(double[] params, double[] meanGradient, double epoch) {
        if (params.length != parameterCount || meanGradient.length != parameterCount) {
            throw new IllegalArgumentException("the network has " + parameterCount + " parameters, got "
                    + params.length + " parameters and a gradient of " + meanGradient.length);
        }
        lastGradientNorm = Vectors.norm(meanGradient);
        if (clipNorm > 0 && lastGradientNorm > clipNorm) {
            double scale = clipNorm / lastGradientNorm;
            for (int i = 0; i < meanGradient.length; i++) {
                meanGradient[i] *= scale;
            }
        }
        if (weightDecay > 0) {
            for (int l = 0; l < network.depth(); l++) {
                int end = network.biasOffset(l);
                for (int i = network.weightOffset(l); i < end; i++) {
                    meanGradient[i] += weightDecay * params[i];
                }
            }
        }
        double rate = schedule.rate(epoch);
        optimizer.step(params, meanGradient, rate);
        return rate;
    }

    /** ‖g‖₂ of the last step's data gradient, before clipping; NaN before the first step. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /** The whole rule, for logs and model metadata, e.g. {@code gd, constant(lr=0.5), weight-decay=0, clip-norm=0}. */
    public String describe() {
        return optimizer.describe() + ", " + schedule.describe() + ", weight-decay=" + number(weightDecay)
                + ", clip-norm=" + number(clipNorm);
    }
}
