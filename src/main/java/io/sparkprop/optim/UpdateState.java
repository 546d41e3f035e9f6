package io.sparkprop.optim;

import io.sparkprop.engine.Network;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The driver-side state of one training run's updates, with an explicit life cycle:
 * {@link #create} for a network, {@link #step} once per synchronous step, {@link #snapshot} to
 * save the state (a checkpoint) and {@link #restore} to continue from one. The state is the
 * optimizer's vectors (velocity, Adam's and LAMB's moments), each as long as the parameter vector,
 * and the number of steps taken; the schedule and the warm-up need none, being functions of the
 * epoch the caller passes. Restoring a snapshot and stepping gives the same bits as never having
 * stopped.
 *
 * <p>One instance per run, on the driver; it is not thread-safe. Serializable, so that barrier
 * tasks can each step an exact copy of it.
 */
public final class UpdateState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final UpdateRule rule;
    private final Network network;
    private final double learningRate;
    private final int totalEpochs;
    private final int stepsPerEpoch;
    private final Tensors tensors;
    private final double[][] vectors;
    private long steps;
    private double lastGradientNorm = Double.NaN;

    private UpdateState(UpdateRule rule, Network network, double learningRate, int totalEpochs, int stepsPerEpoch) {
        this.rule = rule;
        this.network = network;
        this.learningRate = learningRate;
        this.totalEpochs = totalEpochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.tensors = Tensors.of(network);
        this.vectors = new double[rule.optimizer().stateNames().size()][network.parameterCount()];
    }

    /**
     * A fresh state for full-batch steps, one per epoch: {@link #create(UpdateRule, Network,
     * double, int, int) create} with one step per epoch.
     */
    public static UpdateState create(UpdateRule rule, Network network, double learningRate, int totalEpochs) {
        return create(rule, network, learningRate, totalEpochs, 1);
    }

    /**
     * A fresh state: zero vectors, no steps taken.
     *
     * @param rule the update rule
     * @param network the architecture, whose size the state takes and whose layout tells weights
     *     (decayed) from biases (not decayed), and LAMB its tensors
     * @param learningRate η, where the schedule starts
     * @param totalEpochs the run's length, over which the cosine schedule anneals, 0 or more
     * @param stepsPerEpoch synchronous steps per epoch, at least 1: the length of a step, over
     *     which the warm-up rises ({@link UpdateRule#rate}); it does not matter without a warm-up
     * @throws IllegalArgumentException if η is not positive or below the cosine schedule's floor,
     *     the length is negative, or there are no steps per epoch
     */
    public static UpdateState create(UpdateRule rule, Network network, double learningRate, int totalEpochs,
                                     int stepsPerEpoch) {
        rule.requireCompatible(learningRate);
        Vectors.require(totalEpochs >= 0, "the number of epochs must be 0 or more, got " + totalEpochs);
        Vectors.require(stepsPerEpoch >= 1, "the steps per epoch must be 1 or more, got " + stepsPerEpoch);
        return new UpdateState(rule, Objects.requireNonNull(network, "network"), learningRate, totalEpochs,
                stepsPerEpoch);
    }

    /**
     * Updates {@code params} in place from the step's mean data gradient {@code g}:
     *
     * <ol>
     *   <li>clipping, if clipNorm c &gt; 0 and ‖g‖₂ &gt; c: {@code g ← g · c / ‖g‖₂} (the direction
     *       is kept, only the length is bounded, so one exploding step cannot throw the weights
     *       far away). Clipping comes first, so the threshold applies to the data gradient alone:
     *       it then bounds the same quantity whatever the size of the weights, and never scales
     *       the decay term away;
     *   <li>weight decay, if λ &gt; 0: {@code g ← g + λ W} on the weight matrices only. This is the
     *       gradient of the L2 penalty ½ λ ‖W‖², which keeps weights small and the fit smooth;
     *       biases only shift the units and are not decayed. With Adam this is L2-regularised Adam,
     *       not AdamW: the penalty is rescaled per parameter like any gradient;
     *   <li>the optimizer's step with the scheduled rate η(epoch) (after the warm-up's ramp, if
     *       any: {@link UpdateRule#rate}), the state, the step's number and the network's tensors
     *       (which LAMB scales one by one).
     * </ol>
     *
     * The gradient must be finite (the trainer checks it first).
     *
     * @param params the flat parameter vector, modified
     * @param meanGradient the mean data gradient; modified: it ends as the gradient the optimizer
     *     stepped with (clipped, plus decay), to spare a copy of the parameter vector per step
     * @param epoch fractional epochs completed before this step
     * @return the learning rate used
     * @throws IllegalArgumentException if a vector's length is not the network's parameter count
     */
    public double step(double[] params, double[] meanGradient, double epoch) {
        int parameterCount = network.parameterCount();
        if (params.length != parameterCount || meanGradient.length != parameterCount) {
            throw new IllegalArgumentException("the network has " + parameterCount + " parameters, got "
                    + params.length + " parameters and a gradient of " + meanGradient.length);
        }
        lastGradientNorm = Vectors.norm(meanGradient);
        double clipNorm = rule.clipNorm();
        if (clipNorm > 0 && lastGradientNorm > clipNorm) {
            double scale = clipNorm / lastGradientNorm;
            for (int i = 0; i < meanGradient.length; i++) {
                meanGradient[i] *= scale;
            }
        }
        double weightDecay = rule.weightDecay();
        if (weightDecay > 0) {
            for (int l = 0; l < network.depth(); l++) {
                int end = network.biasOffset(l);
                for (int i = network.weightOffset(l); i < end; i++) {
                    meanGradient[i] += weightDecay * params[i];
                }
            }
        }
        double rate = rule.rate(learningRate, epoch, stepsPerEpoch, totalEpochs);
        steps++;
        rule.optimizer().step(params, meanGradient, rate, steps, vectors, tensors);
        return rate;
    }

    /** The number of steps taken (restored ones included). */
    public long steps() {
        return steps;
    }

    /** ‖g‖₂ of the last step's data gradient, before clipping; NaN before the first step since creation or restore. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /** A copy of the state, independent of later steps. */
    public Snapshot snapshot() {
        Map<String, double[]> named = new LinkedHashMap<>();
        List<String> names = rule.optimizer().stateNames();
        for (int k = 0; k < names.size(); k++) {
            named.put(names.get(k), vectors[k]);
        }
        return new Snapshot(steps, named);
    }

    /**
     * Continues from {@code snapshot}: its step count and a copy of its vectors replace this
     * state's. The snapshot must come from a state of the same rule and network (a checkpoint
     * records the rule beside it); its vectors' names and lengths are checked.
     *
     * @throws IllegalArgumentException if the snapshot holds other vectors, or vectors of another length
     */
    public void restore(Snapshot snapshot) {
        List<String> names = rule.optimizer().stateNames();
        if (!snapshot.vectors.keySet().equals(Set.copyOf(names))) {
            throw new IllegalArgumentException("the snapshot holds the state " + snapshot.vectors.keySet() + ", "
                    + rule.optimizer().kind().id() + " keeps " + names);
        }
        for (String name : names) {
            double[] saved = snapshot.vectors.get(name);
            if (saved.length != network.parameterCount()) {
                throw new IllegalArgumentException("the snapshot's " + name + " has " + saved.length
                        + " values, the network " + network.parameterCount() + " parameters");
            }
        }
        for (int k = 0; k < names.size(); k++) {
            double[] saved = snapshot.vectors.get(names.get(k));
            System.arraycopy(saved, 0, vectors[k], 0, saved.length);
        }
        steps = snapshot.steps;
        lastGradientNorm = Double.NaN;
    }

    /**
     * The state of an {@link UpdateState} between two steps: a plain, immutable value to write
     * into a checkpoint and read back. The constructor and {@link #vectors()} copy the arrays.
     *
     * @param steps the number of steps taken, Adam's and LAMB's t
     * @param vectors the optimizer's state by name ({@link Optimizer#stateNames()}), e.g.
     *     {@code velocity}, or {@code firstMoment} and {@code secondMoment} (Adam, LAMB); none for gd
     */
    public record Snapshot(long steps, Map<String, double[]> vectors) implements Serializable {
        /** @throws IllegalArgumentException if the step count is negative */
        public Snapshot {
            Vectors.require(steps >= 0, "the step count must be 0 or more, got " + steps);
            vectors = copy(vectors);
        }

        /** A copy of the vectors, in the optimizer's order. */
        @Override
        public Map<String, double[]> vectors() {
            return copy(vectors);
        }

        private static Map<String, double[]> copy(Map<String, double[]> vectors) {
            Map<String, double[]> copy = new LinkedHashMap<>();
            vectors.forEach((name, values) -> copy.put(Objects.requireNonNull(name, "name"), values.clone()));
            return Collections.unmodifiableMap(copy);
        }

        /** Equal step counts and vectors equal value for value, to the bit. */
        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Snapshot that) || steps != that.steps
                    || !vectors.keySet().equals(that.vectors.keySet())) {
                return false;
            }
            for (Map.Entry<String, double[]> entry : vectors.entrySet()) {
                if (!Arrays.equals(entry.getValue(), that.vectors.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = Long.hashCode(steps);
            for (Map.Entry<String, double[]> entry : vectors.entrySet()) {
                hash = 31 * hash + (entry.getKey().hashCode() ^ Arrays.hashCode(entry.getValue()));
            }
            return hash;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("Snapshot[steps=").append(steps);
            vectors.forEach((name, values) -> text.append(", ").append(name).append('[').append(values.length)
                    .append(']'));
            return text.append(']').toString();
        }
    }
}
