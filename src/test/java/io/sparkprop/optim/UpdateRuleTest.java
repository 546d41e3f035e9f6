package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertRejected("unknown optimizer 'sgd' (expected gd, momentum, nesterov or adam)",
                () -> Optimizer.Kind.parse("sgd"));
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
                new UpdateRule(new Momentum(), new Exponential(0.9), 0, 1))) {
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
