package io.sparkprop.cli;

import io.sparkprop.optim.OptimizerConfig;
import picocli.CommandLine.Option;

/** The update rule's options; {@link OptimizerConfig} validates them and documents the formulas. */
final class OptimizerOptions {
    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "gd",
            description = "gd (W <- W - η∇), momentum, nesterov or adam (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "MU", defaultValue = "0.9",
            description = "Momentum μ of momentum and nesterov (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--beta1", paramLabel = "B1", defaultValue = "0.9",
            description = "Adam's first-moment decay (default: ${DEFAULT-VALUE})")
    double beta1;

    @Option(names = "--beta2", paramLabel = "B2", defaultValue = "0.999",
            description = "Adam's second-moment decay (default: ${DEFAULT-VALUE})")
    double beta2;

    @Option(names = "--epsilon", paramLabel = "EPS", defaultValue = "1e-8",
            description = "Adam's ε (default: ${DEFAULT-VALUE})")
    double epsilon;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA", defaultValue = "0",
            description = "L2 penalty λ/2·|W|² on the weights, not the biases (default: off)")
    double weightDecay;

    @Option(names = "--clip-norm", paramLabel = "C", defaultValue = "0",
            description = "Scale the mean gradient down to L2 norm C when it is longer (default: off)")
    double clipNorm;

    @Option(names = "--lr-schedule", paramLabel = "NAME", defaultValue = "constant",
            description = "constant, step (× decay every --lr-decay-epochs), exponential (× decay per epoch) "
                    + "or cosine (to --lr-min over the run) (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--lr-decay", paramLabel = "GAMMA", defaultValue = "0.5",
            description = "Decay factor of the step and exponential schedules (default: ${DEFAULT-VALUE})")
    double decay;

    @Option(names = "--lr-decay-epochs", paramLabel = "K", defaultValue = "10",
            description = "Epochs between decays of the step schedule (default: ${DEFAULT-VALUE})")
    double decayEpochs;

    @Option(names = "--lr-min", paramLabel = "ETA", defaultValue = "0",
            description = "Final learning rate of the cosine schedule (default: ${DEFAULT-VALUE})")
    double minLearningRate;

    OptimizerConfig config() {
        return new OptimizerConfig(optimizer, momentum, beta1, beta2, epsilon, weightDecay, clipNorm, schedule, decay,
                decayEpochs, minLearningRate);
    }
}
