package io.sparkprop.optim;

import static io.sparkprop.optim.Text.number;
import static io.sparkprop.optim.Vectors.require;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learning rate as a function of training progress: a small immutable value holding the
 * schedule's own parameters, validated when it is built. The base rate η and the run's length E
 * belong to the training configuration (Spark's {@code stepSize} and {@code maxIter}) and are
 * passed in.
 *
 * <p>Each record's constructor refuses a value out of range with a message that starts with the
 * parameter's name, e.g. {@code decay must be in (0, 1], got 2.0}.
 *
 * <p>{@code epoch} is the fractional number of epochs completed before the step (step index /
 * steps per epoch), so the first step always uses η and a schedule reads the same whether an epoch
 * is one full-batch step or many mini-batch steps. A schedule is a pure function of it: resuming a
 * run needs no schedule state beyond the position of the step. Large steps early make fast
 * progress; smaller ones later let the parameters settle into a minimum instead of bouncing around
 * it.
 */
public sealed interface LearningRateSchedule extends Serializable {

    /** The schedules by name, as {@code --lr-schedule} and the metadata spell them. */
    enum Kind {
        CONSTANT, STEP, EXPONENTIAL, COSINE;

        /** The lower-case name, e.g. {@code cosine}. */
        public String id() {
            return Text.id(this);
        }

        /**
         * The schedule named {@code name}, whatever its case.
         *
         * @throws IllegalArgumentException e.g. {@code unknown learning-rate schedule 'linear'
         *     (expected constant, step, exponential or cosine)}
         */
        public static Kind parse(String name) {
            return Text.parse(Kind.class, name, "learning-rate schedule");
        }
    }

    /** Which schedule this is. */
    Kind kind();

    /** The schedule's parameters by name, in a fixed order, for model metadata; empty for constant. */
    Map<String, Double> parameters();

    /**
     * The rate of a step taken after {@code epoch} (≥ 0) epochs.
     *
     * @param learningRate η, where the schedule starts, positive
     * @param totalEpochs E, the run's length, 0 or more
     */
    double rate(double learningRate, double epoch, int totalEpochs);

    /** The schedule with η (and E where it matters), for logs, e.g. {@code cosine(lr=0.1, min=0, epochs=50)}. */
    String describe(double learningRate, int totalEpochs);

    /**
     * η, at every step. Full-batch gradient descent with a small enough η converges without
     * decay, since the gradient itself vanishes at the minimum.
     */
    record Constant() implements LearningRateSchedule {
        @Override
        public Kind kind() {
            return Kind.CONSTANT;
        }

        @Override
        public Map<String, Double> parameters() {
            return Map.of();
        }

        @Override
        public double rate(double learningRate, double epoch, int totalEpochs) {
            return learningRate;
        }

        @Override
        public String describe(double learningRate, int totalEpochs) {
            return "constant(lr=" + number(learningRate) + ")";
        }
    }

    /**
     * η · γ^floor(epoch / k): the rate is cut by γ every k epochs. Plateaus long enough to make
     * progress at each rate, then a sharp drop: the classic recipe (e.g. for ResNets) when
     * the loss stalls at a known point. The boundaries are compared exactly: at epoch 10 with
     * k = 10 the first cut has been made.
     *
     * @param decay γ, in (0, 1] ({@code --lr-decay})
     * @param decayEpochs k, positive ({@code --lr-decay-epochs})
     */
    record StepDecay(double decay, double decayEpochs) implements LearningRateSchedule {
        /** @throws IllegalArgumentException naming the first value out of its range */
        public StepDecay {
            requireDecay(decay);
            require(decayEpochs > 0 && Double.isFinite(decayEpochs),
                    "decayEpochs must be a positive number, got " + decayEpochs);
        }

        @Override
        public Kind kind() {
            return Kind.STEP;
        }

        @Override
        public Map<String, Double> parameters() {
            Map<String, Double> parameters = new LinkedHashMap<>();
            parameters.put("decay", decay);
            parameters.put("decayEpochs", decayEpochs);
            return parameters;
        }

        @Override
        public double rate(double learningRate, double epoch, int totalEpochs) {
            return learningRate * Math.pow(decay, Math.floor(epoch / decayEpochs));
        }

        @Override
        public String describe(double learningRate, int totalEpochs) {
            return "step(lr=" + number(learningRate) + ", every=" + number(decayEpochs) + ", factor="
                    + number(decay) + ")";
        }
    }

    /**
     * η · γ^epoch: the smooth version of {@link StepDecay}, the same relative decrease every epoch,
     * with no boundaries to place. γ is per epoch, so it compounds quickly: 0.97 over 100 epochs
     * leaves about 5 % of η.
     *
     * @param decay γ, in (0, 1] ({@code --lr-decay})
     */
    record Exponential(double decay) implements LearningRateSchedule {
        /** @throws IllegalArgumentException if γ is not in (0, 1] */
        public Exponential {
            requireDecay(decay);
        }

        @Override
        public Kind kind() {
            return Kind.EXPONENTIAL;
        }

        @Override
        public Map<String, Double> parameters() {
            return Map.of("decay", decay);
        }

        @Override
        public double rate(double learningRate, double epoch, int totalEpochs) {
            return learningRate * Math.pow(decay, epoch);
        }

        @Override
        public String describe(double learningRate, int totalEpochs) {
            return "exponential(lr=" + number(learningRate) + ", factor=" + number(decay) + ")";
        }
    }

    /**
     * η_min + ½ (η − η_min)(1 + cos(π · min(epoch, E) / E)), so η_min from epoch E on (Loshchilov
     * and Hutter's SGDR without restarts). It decays slowly at the start, while progress is fast,
     * and near the end, to settle; besides the floor, its only knob is the run's length, which the
     * trainer knows. With E = 0 (a run of no epochs) the schedule is already annealed and gives
     * η_min.
     *
     * @param minLearningRate η_min, the final rate, 0 or more and at most η ({@code --lr-min}); the
     *     training configuration checks the latter with {@link UpdateRule#requireCompatible}
     */
    record Cosine(double minLearningRate) implements LearningRateSchedule {
        /** @throws IllegalArgumentException if η_min is negative or not finite */
        public Cosine {
            require(minLearningRate >= 0 && Double.isFinite(minLearningRate),
                    "minLearningRate must be 0 or a positive number, got " + minLearningRate);
        }

        @Override
        public Kind kind() {
            return Kind.COSINE;
        }

        @Override
        public Map<String, Double> parameters() {
            return Map.of("minLearningRate", minLearningRate);
        }

        @Override
        public double rate(double learningRate, double epoch, int totalEpochs) {
            double progress = totalEpochs == 0 ? 1.0 : Math.min(epoch, totalEpochs) / totalEpochs;
            return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1.0 + Math.cos(Math.PI * progress));
        }

        @Override
        public String describe(double learningRate, int totalEpochs) {
            return "cosine(lr=" + number(learningRate) + ", min=" + number(minLearningRate) + ", epochs="
                    + totalEpochs + ")";
        }
    }

    private static void requireDecay(double decay) {
        require(decay > 0 && decay <= 1, "decay must be in (0, 1], got " + decay);
    }
}
