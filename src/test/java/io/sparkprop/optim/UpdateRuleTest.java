package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkprop.optim.LearningRateSchedule.Constant;
import io.sparkprop.optim.LearningRateSchedule.Cosine;
import io.sparkprop.optim.LearningRateSchedule.Exponential;
import io.sparkprop.optim.LearningRateSchedule.StepDecay;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class UpdateRuleTest {

    @Test
    void defaultsArePlainGradientDescentAtAConstantRate() {
        assertEquals(new UpdateRule(new GradientDescent(), new Constant(), 0, 0), UpdateRule.defaults());
        assertEquals("gd, constant(lr=0.5), weight-decay=0, clip-norm=0", UpdateRule.defaults().describe(0.5, 100));
    }

    @Test
    void describesTheWholeRule() {
        assertEquals("nesterov(momentum=0.9), cosine(lr=0.1, min=0.01, epochs=20), weight-decay=0, clip-norm=5",
                new UpdateRule(new Nesterov(), new Cosine(0.01), 0, 5).describe(0.1, 20));
        assertEquals("adam(beta1=0.9, beta2=0.999, epsilon=1E-8), step(lr=0.001, every=30, factor=0.1),"
                + " weight-decay=1E-4, clip-norm=0", new UpdateRule(new Adam(), new StepDecay(0.1, 30), 1e-4, 0)
                        .describe(0.001, 100));
        assertEquals("momentum(momentum=0.5), exponential(lr=1, factor=0.97), weight-decay=0, clip-norm=0",
                new UpdateRule(new Momentum(0.5), new Exponential(0.97), 0, 0).describe(1.0, 100));
    }

    @Test
    void recordsTheSettingsThatApplyUnderTheOptionsNames() {
        Map<String, Object> adam = new LinkedHashMap<>();
        adam.put("optimizer", "adam");
        adam.put("beta1", 0.9);
        adam.put("beta2", 0.999);
        adam.put("epsilon", 1e-8);
        adam.put("weightDecay", 1e-4);
        adam.put("clipNorm", 5.0);
        adam.put("schedule", "step");
        adam.put("decay", 0.1);
        adam.put("decayEpochs", 30.0);
        Map<String, Object> settings = new UpdateRule(new Adam(), new StepDecay(0.1, 30), 1e-4, 5).settings();
        assertEquals(adam, settings);
        assertEquals(List.copyOf(adam.keySet()), List.copyOf(settings.keySet()), "in a fixed order");

        assertEquals(Map.of("optimizer", "gd", "weightDecay", 0.0, "clipNorm", 0.0, "schedule", "constant"),
                UpdateRule.defaults().settings());
        assertEquals(Map.of("optimizer", "momentum", "momentum", 0.8, "weightDecay", 0.0, "clipNorm", 0.0,
                "schedule", "cosine", "minLearningRate", 0.001),
                new UpdateRule(new Momentum(0.8), new Cosine(0.001), 0, 0).settings());
    }

    @Test
    void parsesOptimizerNamesWhateverTheCase() {
        assertEquals(Optimizer.Kind.NESTEROV, Optimizer.Kind.parse("Nesterov"));
        assertEquals(Optimizer.Kind.GD, Optimizer.Kind.parse("gd"));
        assertEquals("adam", Optimizer.Kind.ADAM.id());
        assertRejected("unknown optimizer 'sgd' (expected gd, momentum, nesterov, adam or lamb)",
                () -> Optimizer.Kind.parse("sgd"));
    }

    /** 4 steps per epoch, warm-up over 1 epoch: η/4, 2η/4, 3η/4, then η; the schedule keeps its clock. */
    @Test
    void warmsUpLinearlyFromOneStepsShareToTheScheduledRate() {
        UpdateRule constant = UpdateRule.defaults().withWarmupEpochs(1.0);
        double[] expected = {0.25, 0.5, 0.75, 1.0, 1.0, 1.0};
        for (int step = 0; step < expected.length; step++) {
            assertEquals(0.1 * expected[step], constant.rate(0.1, step / 4.0, 4, 10), 1e-17, "step " + step);
        }
        UpdateRule cosine = new UpdateRule(new Lamb(), new Cosine(0.0), 0, 0, 1.0);
        double cosineAtAQuarter = 0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.25 / 10));
        assertEquals(cosineAtAQuarter * 0.5, cosine.rate(0.1, 0.25, 4, 10), 1e-16, "schedule × ramp");
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 2.0 / 10)), cosine.rate(0.1, 2.0, 4, 10), 1e-16,
                "after the warm-up the schedule at the run's epoch, not restarted at 0");
    }

    /** Half an epoch of 3 steps (1.5 steps): 2/3 of η, then η from the second step, which ends past it. */
    @Test
    void aFractionalWarmUpReachesTheRateAtTheFirstStepEndingPastIt() {
        UpdateRule half = UpdateRule.defaults().withWarmupEpochs(0.5);
        assertEquals(0.2 * 2 / 3, half.rate(0.2, 0.0, 3, 5), 1e-16);
        assertEquals(0.2, half.rate(0.2, 1.0 / 3, 3, 5), 0.0);
        assertEquals(0.2, half.rate(0.2, 3.0, 3, 5), 0.0);
        UpdateRule step = new UpdateRule(new Adam(), new StepDecay(0.5, 1), 0, 0, 0.5);
        assertEquals(0.2 * 0.5, step.rate(0.2, 1.0, 3, 5), 0.0, "the step decay's first cut at epoch 1 as before");
    }

    @Test
    void withoutAWarmUpTheRateIsTheSchedulesToTheBit() {
        for (LearningRateSchedule schedule : List.of(new Constant(), new StepDecay(0.5, 1), new Exponential(0.9),
                new Cosine(0.001))) {
            UpdateRule rule = UpdateRule.defaults().withSchedule(schedule);
            for (int step = 0; step < 40; step++) {
                double epoch = step / 7.0;
                assertEquals(Double.doubleToRawLongBits(schedule.rate(0.05, epoch, 5)),
                        Double.doubleToRawLongBits(rule.rate(0.05, epoch, 7, 5)), schedule + " at " + epoch);
            }
        }
    }

    @Test
    void describesAndRecordsAWarmUpOnlyWhenThereIsOne() {
        UpdateRule rule = new UpdateRule(new Lamb(), new Cosine(0), 0, 0, 0.5);
        assertEquals("lamb(beta1=0.9, beta2=0.999, epsilon=1E-8), warmup(epochs=0.5), "
                + "cosine(lr=0.01, min=0, epochs=30), weight-decay=0, clip-norm=0", rule.describe(0.01, 30));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("optimizer", "lamb");
        expected.put("beta1", 0.9);
        expected.put("beta2", 0.999);
        expected.put("epsilon", 1e-8);
        expected.put("weightDecay", 0.0);
        expected.put("clipNorm", 0.0);
        expected.put("schedule", "cosine");
        expected.put("minLearningRate", 0.0);
        expected.put("warmupEpochs", 0.5);
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(rule.settings().entrySet()));
        assertEquals(new UpdateRule(new Lamb(), new Cosine(0), 0, 0), rule.withWarmupEpochs(0));
        assertFalse(rule.withWarmupEpochs(0).settings().containsKey("warmupEpochs"));
    }

    @Test
    void rejectsANegativeOrNonFiniteWarmUp() {
        assertRejected("warmupEpochs must be 0 (off) or a positive number, got -0.5",
                () -> UpdateRule.defaults().withWarmupEpochs(-0.5));
        assertRejected("warmupEpochs must be 0 (off) or a positive number, got Infinity",
                () -> UpdateRule.defaults().withWarmupEpochs(Double.POSITIVE_INFINITY));
    }

    @Test
    void rejectsNegativeOrNonFiniteDecayAndClipping() {
        assertRejected("weightDecay must be 0 (off) or a positive number, got -0.1",
                () -> UpdateRule.defaults().withWeightDecay(-0.1));
        assertRejected("clipNorm must be 0 (off) or a positive number, got NaN",
                () -> UpdateRule.defaults().withClipNorm(Double.NaN));
        assertRejected("clipNorm must be 0 (off) or a positive number, got Infinity",
                () -> UpdateRule.defaults().withClipNorm(Double.POSITIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> UpdateRule.defaults().withOptimizer(null));
    }

    @Test
    void rejectsACosineFloorAboveTheLearningRate() {
        UpdateRule cosine = UpdateRule.defaults().withSchedule(new Cosine(0.5));
        cosine.requireCompatible(0.5);
        assertRejected("minimum learning rate must be between 0 and the learning rate 0.1, got 0.5",
                () -> cosine.requireCompatible(0.1));
        assertRejected("learning rate must be a positive number, got 0.0", () -> cosine.requireCompatible(0));
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        for (UpdateRule rule : List.of(UpdateRule.defaults(), new UpdateRule(new Adam(), new Cosine(0.01), 1e-4, 5),
                new UpdateRule(new Nesterov(0.8), new StepDecay(0.5, 3), 0, 0),
                new UpdateRule(new Momentum(), new Exponential(0.9), 0, 1),
                new UpdateRule(new Lamb(0.8, 0.99, 1e-6), new Constant(), 1e-4, 0, 0.5))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(rule);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertEquals(rule, in.readObject());
            }
        }
    }

    private static void assertRejected(String message, Executable construction) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, construction).getMessage());
    }
}
