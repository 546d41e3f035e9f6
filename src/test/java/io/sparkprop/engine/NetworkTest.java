package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetworkTest {

    @Test
    void parsesALayerSpecAndLaysOutParameters() {
        Network n = Network.parse("sigmoid(256)| sigmoid(128) |softmax(10)", 784, Loss.CATEGORICAL_CROSS_ENTROPY);
        assertEquals("sigmoid(256)|sigmoid(128)|softmax(10)", n.spec());
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, n.parameterCount());
        assertEquals(0, n.weightOffset(0));
        assertEquals(784 * 256, n.biasOffset(0));
        assertEquals(784 * 256 + 256, n.weightOffset(1));
        assertEquals(n.parameterCount() - 10, n.biasOffset(2));
        assertTrue(n.isClassifier());
    }

    @Test
    void theDefaultLossFollowsTheOutputActivation() {
        assertEquals(Loss.CATEGORICAL_CROSS_ENTROPY, Loss.defaultFor(Activation.SOFTMAX));
        assertEquals(Loss.BINARY_CROSS_ENTROPY, Loss.defaultFor(Activation.SIGMOID));
        for (Activation a : new Activation[] {Activation.IDENTITY, Activation.TANH, Activation.RELU}) {
            assertEquals(Loss.SQUARED_ERROR, Loss.defaultFor(a));
        }
        assertEquals(Network.parse("relu(4)|softmax(3)", 2, Loss.CATEGORICAL_CROSS_ENTROPY),
                Network.parse("relu(4)|softmax(3)", 2));
        assertEquals(Loss.BINARY_CROSS_ENTROPY, Network.parse("tanh(4)|sigmoid(1)", 2).loss());
        assertEquals(Loss.SQUARED_ERROR, Network.parse("tanh(4)|identity(2)", 2).loss());
        Network widths = Network.of(new int[] {5, 8, 3}, Activation.RELU, Activation.SOFTMAX);
        assertEquals(Network.of(new int[] {5, 8, 3}, Activation.RELU, Activation.SOFTMAX,
                Loss.CATEGORICAL_CROSS_ENTROPY), widths);
        assertEquals(Loss.SQUARED_ERROR, widths.withLoss(Loss.SQUARED_ERROR).loss());
        assertThrows(IllegalArgumentException.class, () -> widths.withLoss(Loss.BINARY_CROSS_ENTROPY));
        assertThrows(IllegalArgumentException.class, () -> Network.parse("relu(4)|softmax(1)", 2));
    }

    @Test
    void rejectsWhatTheMathDoesNotAllow() {
        assertThrows(IllegalArgumentException.class,
                () -> Network.parse("softmax(4)|softmax(3)", 2, Loss.CATEGORICAL_CROSS_ENTROPY));
        assertThrows(IllegalArgumentException.class,
                () -> Network.parse("relu(4)|identity(3)", 2, Loss.CATEGORICAL_CROSS_ENTROPY));
        assertThrows(IllegalArgumentException.class,
                () -> Network.parse("relu(4)|softmax(3)", 2, Loss.BINARY_CROSS_ENTROPY));
        assertThrows(IllegalArgumentException.class,
                () -> Network.parse("relu(4)|softmax(1)", 2, Loss.SQUARED_ERROR));
        assertThrows(IllegalArgumentException.class, () -> Network.parse("relu(0)", 2, Loss.SQUARED_ERROR));
        assertThrows(IllegalArgumentException.class, () -> Network.parse("relu4", 2, Loss.SQUARED_ERROR));
        assertThrows(IllegalArgumentException.class, () -> Network.parse("swish(4)", 2, Loss.SQUARED_ERROR));
        assertThrows(IllegalArgumentException.class,
                () -> Network.of(new int[] {5}, Activation.SIGMOID, Activation.SIGMOID, Loss.SQUARED_ERROR));
    }

    @Test
    void initialisationIsSeededAndScaledByFanIn() {
        Network n = Network.parse("relu(50)|tanh(20)|identity(1)", 30, Loss.SQUARED_ERROR);
        double[] a = Initializer.initialize(n, 42);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(Initializer.initialize(n, 42)));
        double he = Math.sqrt(6.0 / 30);
        double glorot = Math.sqrt(6.0 / (50 + 20));
        for (int i = n.weightOffset(0); i < n.biasOffset(0); i++) {
            assertTrue(Math.abs(a[i]) <= he);
        }
        for (int i = n.biasOffset(0); i < n.weightOffset(1); i++) {
            assertEquals(0.0, a[i]);
        }
        for (int i = n.weightOffset(1); i < n.biasOffset(1); i++) {
            assertTrue(Math.abs(a[i]) <= glorot);
        }
    }
}
