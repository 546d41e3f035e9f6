package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OptimizerConfigTest {
    private static final Network NETWORK = Network.of(new int[] {2, 2, 1}, Activation.SIGMOID, Activation.SIGMOID,
            Loss.BINARY_CROSS_ENTROPY);

    /** The documented defaults, one field per option, so that a test changes just the option it is about. */
    private static final class Options {
        String optimizer = "gd";
        double momentum = 0.9;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double epsilon = 1e-8;
        double weightDecay = 0;
        double clipNorm = 0;
        String schedule = "constant";
        double decay = 0.5;
        double decayEpochs = 10;
        double minLearningRate = 0;

        OptimizerConfig build() {
            return new OptimizerConfig(optimizer, momentum, beta1, beta2, epsilon, weightDecay, clipNorm, schedule,
                    decay, decayEpochs, minLearningRate);
        }
    }

    private static OptimizerConfig with(Consumer<Options> change) {
        Options options = new Options();
        change.accept(options);
        return options.build();
    }

    private static void assertRejected(String message, Consumer<Options> change) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> with(change)).getMessage());
    }

    @Test
    void defaultsArePlainGradientDescentAtAConstantRate() {
        assertEquals(new Options().build(), OptimizerConfig.defaults());
        assertEquals("gd, constant(lr=0.5), weight-decay=0, clip-norm=0",
                OptimizerConfig.defaults().newUpdateRule(NETWORK, 0.5, 100).describe());
    }

    @Test
    void buildsTheNamedOptimizerAndScheduleWhateverTheCase() {
        OptimizerConfig nesterov = with(o -> {
            o.optimizer = "Nesterov";
            o.schedule = "COSINE";
            o.minLearningRate = 0.01;
            o.clipNorm = 5;
        });
        assertEquals("nesterov", nesterov.optimizer());
        assertEquals("cosine", nesterov.schedule());
        assertEquals("nesterov(momentum=0.9), cosine(lr=0.1, min=0.01, epochs=20), weight-decay=0, clip-norm=5",
                nesterov.newUpdateRule(NETWORK, 0.1, 20).describe());

        OptimizerConfig adam = with(o -> {
            o.optimizer = "adam";
            o.schedule = "step";
            o.decay = 0.1;
            o.decayEpochs = 30;
            o.weightDecay = 1e-4;
        });
        assertEquals("adam(beta1=0.9, beta2=0.999, epsilon=1E-8), step(lr=0.001, every=30, factor=0.1),"
                + " weight-decay=1E-4, clip-norm=0", adam.newUpdateRule(NETWORK, 0.001, 100).describe());

        OptimizerConfig momentum = with(o -> {
            o.optimizer = "momentum";
            o.momentum = 0.5;
            o.schedule = "exponential";
            o.decay = 0.97;
        });
        assertEquals("momentum(momentum=0.5), exponential(lr=1, factor=0.97), weight-decay=0, clip-norm=0",
                momentum.newUpdateRule(NETWORK, 1.0, 100).describe());
    }

    @Test
    void rejectsUnknownNames() {
        assertRejected("unknown optimizer 'sgd' (expected gd, momentum, nesterov or adam)", o -> o.optimizer = "sgd");
        assertRejected("unknown learning-rate schedule 'linear' (expected constant, step, exponential or cosine)",
                o -> o.schedule = "linear");
    }

    @Test
    void rejectsValuesNamingTheOption() {
        assertRejected("--momentum must be in [0, 1), got 1.0", o -> o.momentum = 1.0);
        assertRejected("--beta1 must be in [0, 1), got -0.1", o -> o.beta1 = -0.1);
        assertRejected("--beta2 must be in [0, 1), got 1.0", o -> o.beta2 = 1.0);
        assertRejected("--epsilon must be a positive number, got 0.0", o -> o.epsilon = 0);
        assertRejected("--weight-decay must be 0 (off) or a positive number, got -0.001", o -> o.weightDecay = -0.001);
        assertRejected("--clip-norm must be 0 (off) or a positive number, got NaN", o -> o.clipNorm = Double.NaN);
        assertRejected("--lr-decay must be in (0, 1], got 2.0", o -> o.decay = 2.0);
        assertRejected("--lr-decay must be in (0, 1], got 0.0", o -> o.decay = 0);
        assertRejected("--lr-decay-epochs must be a positive number, got 0.0", o -> o.decayEpochs = 0);
        assertRejected("--lr-min must be 0 or a positive number, got -1.0", o -> o.minLearningRate = -1);
    }

    @Test
    void rejectsACosineFloorAboveTheLearningRateWhenBuilding() {
        OptimizerConfig config = with(o -> {
            o.schedule = "cosine";
            o.minLearningRate = 0.5;
        });
        assertEquals("minimum learning rate must be between 0 and the learning rate 0.1, got 0.5",
                assertThrows(IllegalArgumentException.class, () -> config.newUpdateRule(NETWORK, 0.1, 10))
                        .getMessage());
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        OptimizerConfig config = with(o -> o.optimizer = "adam");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(config, in.readObject());
        }
    }
}
