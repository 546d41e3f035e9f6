package io.sparkprop.optim;

import static io.sparkprop.optim.Text.number;

/**
 * The learning rate η as a function of training progress.
 *
 * <p>{@code epoch} is the fractional number of epochs completed before the step (step index /
 * steps per epoch), so the first step always uses the initial rate and a schedule reads the same
 * whether an epoch is one full-batch step or many mini-batch steps. Large steps early make fast
 * progress; smaller ones later let the parameters settle into a minimum instead of bouncing
 * around it.
 */
public sealed interface LearningRateSchedule {

    /** η for a step taken after {@code epoch} (≥ 0) epochs. */
    double rate(double epoch);

    /** The schedule and its arguments, for logs and model metadata, e.g. {@code cosine(lr=0.1, min=0, epochs=50)}. */
    String describe();

    /**
     * η, at every step. Full-batch gradient descent with a small enough η converges without
     * decay, since the gradient itself vanishes at the minimum.
     */
    record Constant(double learningRate) implements LearningRateSchedule {
        public Constant {
            requireLearningRate(learningRate);
        }

        @Override
        public double rate(double epoch) {
            return learningRate;
        }

        @Override
        public String describe() {
            return "constant(lr=" + number(learningRate) + ")";
        }
    }

    /**
     * η · γ^floor(epoch / k): the rate is cut by γ every k epochs. Plateaus long enough to make
     * progress at each rate, then a sharp drop: the classic recipe (e.g. for ResNets) when
     * the loss stalls at a known point. The boundaries are compared exactly: at epoch 10 with
     * k = 10 the first cut has been made.
     *
     * @param everyEpochs k, positive
     * @param factor γ, in (0, 1]
     */
    record Step(double learningRate, double everyEpochs, double factor) implements LearningRateSchedule {
        public Step {
            requireLearningRate(learningRate);
            require(everyEpochs > 0 && Double.isFinite(everyEpochs),
                    "learning-rate decay epochs must be a positive number, got " + everyEpochs);
            requireFactor(factor);
        }

        @Override
        public double rate(double epoch) {
            return learningRate * Math.pow(factor, Math.floor(epoch / everyEpochs));
        }

        @Override
        public String describe() {
            return "step(lr=" + number(learningRate) + ", every=" + number(everyEpochs) + ", factor="
                    + number(factor) + ")";
        }
    }

    /**
     * η · γ^epoch: the smooth version of {@link Step}, the same relative decrease every epoch, with
     * no boundaries to place. γ is per epoch, so it compounds quickly: 0.97 over 100 epochs leaves
     * about 5 % of η.
     *
     * @param factor γ, in (0, 1]
     */
    record Exponential(double learningRate, double factor) implements LearningRateSchedule {
        public Exponential {
            requireLearningRate(learningRate);
            requireFactor(factor);
        }

        @Override
        public double rate(double epoch) {
            return learningRate * Math.pow(factor, epoch);
        }

        @Override
        public String describe() {
            return "exponential(lr=" + number(learningRate) + ", factor=" + number(factor) + ")";
        }
    }

    /**
     * minRate + ½ (η − minRate)(1 + cos(π · min(epoch, E) / E)), so minRate from epoch E on
     * (Loshchilov and Hutter's SGDR without restarts). It decays slowly at the start, while
     * progress is fast, and near the end, to settle; besides the floor, its only knob is the run's
     * length, which the trainer knows. With E = 0 (a run of no epochs) the schedule is already
     * annealed and gives minRate.
     *
     * @param minRate the final rate, in [0, η]
     * @param totalEpochs E, the epochs over which to anneal, 0 or more
     */
    record Cosine(double learningRate, double minRate, double totalEpochs) implements LearningRateSchedule {
        public Cosine {
            requireLearningRate(learningRate);
            require(minRate >= 0 && minRate <= learningRate, "minimum learning rate must be between 0 and the"
                    + " learning rate " + learningRate + ", got " + minRate);
            require(totalEpochs >= 0 && Double.isFinite(totalEpochs),
                    "cosine schedule length (epochs) must be 0 or more, got " + totalEpochs);
        }

        @Override
        public double rate(double epoch) {
            double progress = totalEpochs == 0 ? 1.0 : Math.min(epoch, totalEpochs) / totalEpochs;
            return minRate + 0.5 * (learningRate - minRate) * (1.0 + Math.cos(Math.PI * progress));
        }

        @Override
        public String describe() {
            return "cosine(lr=" + number(learningRate) + ", min=" + number(minRate) + ", epochs="
                    + number(totalEpochs) + ")";
        }
    }

    private static void requireLearningRate(double learningRate) {
        require(learningRate > 0 && Double.isFinite(learningRate),
                "learning rate must be a positive number, got " + learningRate);
    }

    private static void requireFactor(double factor) {
        require(factor > 0 && factor <= 1, "learning-rate decay factor must be in (0, 1], got " + factor);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
