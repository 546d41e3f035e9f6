package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TargetSpecTest {
    @Test
    void aMultiLabelTargetVectorHoldsValuesIn0To1() {
        TargetSpec labels = new TargetSpec(3, Loss.BINARY_CROSS_ENTROPY);
        assertNull(labels.problem(new double[] {0, 1, 0.25}), "soft targets, as for one sigmoid output");
        assertEquals("label vector value 2 is -1.0, not in [0, 1] as binary cross-entropy needs",
                labels.problem(new double[] {1, 0, -1}));
        assertEquals("label vector has 2 values, the output layer has 3 units", labels.problem(new double[] {1, 0}));
    }

    @Test
    void aRegressionTargetVectorMayHoldAnyFiniteNumber() {
        TargetSpec targets = new TargetSpec(2, Loss.SQUARED_ERROR);
        assertNull(targets.problem(new double[] {-7.5, 3e9}));
        assertEquals("label vector value 1 is Infinity; expected a finite number",
                targets.problem(new double[] {0, Double.POSITIVE_INFINITY}));
    }
}
