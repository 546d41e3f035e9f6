package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorKernelsTest {

    @Test
    void expIsWithinTwoUlpOfMathExpAndSaturatesCleanly() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            double x = random.nextDouble(-700, 700);
            double expected = Math.exp(x);
            assertTrue(Math.abs(PortableSigmoid.exp(x) - expected) <= 2 * Math.ulp(expected), "exp(" + x + ")");
        }
        assertEquals(1.0, PortableSigmoid.exp(0.0));
        assertEquals(Math.exp(709.0), PortableSigmoid.exp(1e6), Math.ulp(Math.exp(709.0)) * 2);
        assertTrue(PortableSigmoid.exp(-1e6) > 0 && PortableSigmoid.exp(-1e6) < 1e-300);
    }

    @Test
    void float32SigmoidAgreesWithItsScalarTailAndWithTheExactValue() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 1003;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) random.nextDouble(-30, 30);
        }
        float[] vector = new float[n];
        VectorKernels.sigmoid(z, vector, n);
        for (int i = 0; i < n; i++) {
            float[] single = new float[1];
            VectorKernels.sigmoid(new float[] {z[i]}, single, 1);
            assertEquals(Float.floatToRawIntBits(single[0]), Float.floatToRawIntBits(vector[i]), "z = " + z[i]);
            double exact = 1.0 / (1.0 + Math.exp(-(double) z[i]));
            assertEquals(exact, vector[i], 4 * Math.ulp((float) exact), "z = " + z[i]);
        }
    }

    @Test
    void vectorLanesAndTheScalarTailAgreeBitForBit() {
        // Every element once in a vector lane and once in the scalar tail: results must be identical,
        // or the sigmoid of an example would depend on its position in the block.
        SplittableRandom random = new SplittableRandom(2);
        int n = 1001;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = random.nextDouble(-40, 40);
        }
        double[] vector = new double[n];
        VectorKernels.sigmoid(z, vector, n);
        for (int i = 0; i < n; i++) {
            double[] single = new double[1];
            VectorKernels.sigmoid(new double[] {z[i]}, single, 1);
            assertEquals(Double.doubleToRawLongBits(single[0]), Double.doubleToRawLongBits(vector[i]), "z = " + z[i]);
            assertEquals(1.0 / (1.0 + Math.exp(-z[i])), vector[i], 4 * Math.ulp(vector[i]));
        }
    }
}
