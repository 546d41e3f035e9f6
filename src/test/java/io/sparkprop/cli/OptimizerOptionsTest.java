package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkprop.optim.Adam;
import io.sparkprop.optim.GradientDescent;
import io.sparkprop.optim.Lamb;
import io.sparkprop.optim.LearningRateSchedule.Constant;
import io.sparkprop.optim.LearningRateSchedule.Cosine;
import io.sparkprop.optim.LearningRateSchedule.Exponential;
import io.sparkprop.optim.LearningRateSchedule.StepDecay;
import io.sparkprop.optim.Momentum;
import io.sparkprop.optim.Nesterov;
import io.sparkprop.optim.UpdateRule;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OptimizerOptionsTest {

    /** The options as picocli fills them from {@code args}, defaults included. */
    private static OptimizerOptions parse(String... args) {
        OptimizerOptions options = new OptimizerOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    private static void assertRejected(String message, String... args) {
        OptimizerOptions options = parse(args);
        assertEquals(message, assertThrows(IllegalArgumentException.class, options::rule).getMessage());
    }

    @Test
    void defaultsArePlainGradientDescentAtAConstantRate() {
        assertEquals(UpdateRule.defaults(), parse().rule());
    }

    @Test
    void buildsTheNamedOptimizerAndScheduleWhateverTheCase() {
        assertEquals(new UpdateRule(new Nesterov(0.9), new Cosine(0.01), 0, 5),
                parse("--optimizer", "Nesterov", "--lr-schedule", "COSINE", "--lr-min", "0.01", "--clip-norm", "5")
                        .rule());
        assertEquals(new UpdateRule(new Adam(0.8, 0.99, 1e-6), new StepDecay(0.1, 30), 1e-4, 0),
                parse("--optimizer", "adam", "--beta1", "0.8", "--beta2", "0.99", "--epsilon", "1e-6",
                        "--lr-schedule", "step", "--lr-decay", "0.1", "--lr-decay-epochs", "30", "--weight-decay",
                        "1e-4").rule());
        assertEquals(new UpdateRule(new Momentum(0.5), new Exponential(0.97), 0, 0),
                parse("--optimizer", "momentum", "--momentum", "0.5", "--lr-schedule", "exponential", "--lr-decay",
                        "0.97").rule());
        assertEquals(new UpdateRule(new GradientDescent(), new Constant(), 0, 0), parse("--optimizer", "GD").rule());
    }

    @Test
    void rejectsUnknownNames() {
        assertRejected("unknown optimizer 'sgd' (expected gd, momentum, nesterov, adam or lamb)", "--optimizer", "sgd");
        assertRejected("unknown learning-rate schedule 'linear' (expected constant, step, exponential or cosine)",
                "--lr-schedule", "linear");
    }

    @Test
    void rejectsEveryBadValueNamingItsOptionEvenWhenUnused() {
        assertRejected("--momentum must be in [0, 1), got 1.0", "--optimizer", "adam", "--momentum", "1");
        assertRejected("--beta1 must be in [0, 1), got -0.1", "--beta1", "-0.1");
        assertRejected("--beta2 must be in [0, 1), got 1.0", "--beta2", "1");
        assertRejected("--epsilon must be a positive number, got 0.0", "--epsilon", "0");
        assertRejected("--weight-decay must be 0 (off) or a positive number, got -0.001", "--weight-decay", "-0.001");
        assertRejected("--clip-norm must be 0 (off) or a positive number, got NaN", "--clip-norm", "NaN");
        assertRejected("--lr-decay must be in (0, 1], got 2.0", "--lr-decay", "2");
        assertRejected("--lr-decay must be in (0, 1], got 0.0", "--lr-schedule", "exponential", "--lr-decay", "0");
        assertRejected("--lr-decay-epochs must be a positive number, got 0.0", "--lr-decay-epochs", "0");
        assertRejected("--lr-min must be 0 or a positive number, got -1.0", "--lr-min", "-1");
        assertRejected("--warmup-epochs must be 0 (off) or a positive number, got -0.5", "--warmup-epochs", "-0.5");
        assertRejected("--warmup-epochs must be 0 (off) or a positive number, got NaN", "--optimizer", "lamb",
                "--warmup-epochs", "NaN");
        assertRejected("--epsilon must be a positive number, got -1.0E-6", "--optimizer", "lamb", "--epsilon", "-1e-6");
    }

    @Test
    void buildsLambWithAdamsMomentOptionsAndAWarmUpInFrontOfAnySchedule() {
        assertEquals(new UpdateRule(new Lamb(0.9, 0.999, 1e-8), new Constant(), 0, 0, 0),
                parse("--optimizer", "lamb").rule());
        assertEquals(new UpdateRule(new Lamb(0.85, 0.99, 1e-6), new Cosine(0), 1e-4, 0, 0.5),
                parse("--optimizer", "LAMB", "--beta1", "0.85", "--beta2", "0.99", "--epsilon", "1e-6",
                        "--lr-schedule", "cosine", "--weight-decay", "1e-4", "--warmup-epochs", "0.5").rule());
        assertEquals(new UpdateRule(new Momentum(0.9), new StepDecay(0.5, 10), 0, 0, 3),
                parse("--optimizer", "momentum", "--lr-schedule", "step", "--warmup-epochs", "3").rule());
        assertEquals(UpdateRule.defaults(), parse("--warmup-epochs", "0").rule(), "0 is off");
    }
}
