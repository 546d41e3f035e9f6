package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import org.junit.jupiter.api.Test;

class TensorsTest {

    @Test
    void aNetworksTensorsAreEachLayersWeightMatrixThenItsBiases() {
        Network network = Network.parse("relu(5)|tanh(4)|softmax(3)", 7, Loss.CATEGORICAL_CROSS_ENTROPY);
        Tensors tensors = Tensors.of(network);
        assertEquals(6, tensors.count());
        int[] expected = {0, 35, 40, 60, 64, 76, 79}; // 7×5, 5, 5×4, 4, 4×3, 3
        for (int k = 0; k < tensors.count(); k++) {
            assertEquals(expected[k], tensors.start(k), "start of " + k);
            assertEquals(expected[k + 1], tensors.end(k), "end of " + k);
        }
        assertEquals(network.parameterCount(), tensors.parameterCount());
    }

    @Test
    void theWholeVectorIsOneTensor() {
        Tensors whole = Tensors.whole(9);
        assertEquals(1, whole.count());
        assertEquals(0, whole.start(0));
        assertEquals(9, whole.end(0));
        assertEquals(9, whole.parameterCount());
    }
}
