package io.sparkprop.cli;

import io.sparkprop.optim.Adam;
import io.sparkprop.optim.GradientDescent;
import io.sparkprop.optim.Lamb;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.Momentum;
import io.sparkprop.optim.Nesterov;
import io.sparkprop.optim.Optimizer;
import io.sparkprop.optim.UpdateRule;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The update rule's options, turned into an {@link UpdateRule} once, here. The chosen optimizer's
 * and schedule's records validate their values and document the formulas; the values of the other
 * optimizers and schedules are not used.
 */
final class OptimizerOptions {
    /** The option of each parameter, by the name the records' messages start with. */
    private static final Map<String, String> OPTIONS = Map.of("momentum", "--momentum", "beta1", "--beta1",
            "beta2", "--beta2", "epsilon", "--epsilon", "weightDecay", "--weight-decay", "clipNorm", "--clip-norm",
            "decay", "--lr-decay", "decayEpochs", "--lr-decay-epochs", "minLearningRate", "--lr-min", "warmupEpochs",
            "--warmup-epochs");

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "gd",
            description = "gd (W <- W - η∇), momentum, nesterov, adam or lamb (Adam with a per-layer trust ratio, "
                    + "for large batches) (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "MU", defaultValue = "0.9",
            description = "Momentum μ of momentum and nesterov (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--beta1", paramLabel = "B1", defaultValue = "0.9",
            description = "First-moment decay of adam and lamb (default: ${DEFAULT-VALUE})")
    double beta1;

    @Option(names = "--beta2", paramLabel = "B2", defaultValue = "0.999",
            description = "Second-moment decay of adam and lamb (default: ${DEFAULT-VALUE})")
    double beta2;

    @Option(names = "--epsilon", paramLabel = "EPS", defaultValue = "1e-8",
            description = "ε of adam and lamb (default: ${DEFAULT-VALUE})")
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

    @Option(names = "--warmup-epochs", paramLabel = "W", defaultValue = "0",
            description = "Raise the learning rate linearly over the first W epochs (fractional allowed, e.g. 0.5) "
                    + "before the schedule, which keeps its clock (default: off)")
    double warmupEpochs;

    /**
     * The update rule the options describe. Every value is checked, also those of an optimizer or
     * schedule not chosen (a bad value is a mistake either way), with the option's name:
     * {@code --lr-decay must be in (0, 1], got 2.0}.
     *
     * @throws IllegalArgumentException for an unknown name or a value out of range
     */
    UpdateRule rule() {
        Optimizer.Kind optimizerKind = Optimizer.Kind.parse(optimizer);
        LearningRateSchedule.Kind scheduleKind = LearningRateSchedule.Kind.parse(schedule);
        try {
            Momentum heavyBall = new Momentum(momentum);
            Adam adam = new Adam(beta1, beta2, epsilon);
            Lamb lamb = new Lamb(beta1, beta2, epsilon);
            LearningRateSchedule.StepDecay step = new LearningRateSchedule.StepDecay(decay, decayEpochs);
            LearningRateSchedule.Cosine cosine = new LearningRateSchedule.Cosine(minLearningRate);
            Optimizer chosen = switch (optimizerKind) {
                case GD -> new GradientDescent();
                case MOMENTUM -> heavyBall;
                case NESTEROV -> new Nesterov(momentum);
                case ADAM -> adam;
                case LAMB -> lamb;
            };
            LearningRateSchedule rates = switch (scheduleKind) {
                case CONSTANT -> new LearningRateSchedule.Constant();
                case STEP -> step;
                case EXPONENTIAL -> new LearningRateSchedule.Exponential(decay);
                case COSINE -> cosine;
            };
            return new UpdateRule(chosen, rates, weightDecay, clipNorm, warmupEpochs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(withOptionName(e.getMessage()), e);
        }
    }

    private static String withOptionName(String message) {
        int space = message.indexOf(' ');
        String option = space < 0 ? null : OPTIONS.get(message.substring(0, space));
        return option == null ? message : option + message.substring(space);
    }
}
