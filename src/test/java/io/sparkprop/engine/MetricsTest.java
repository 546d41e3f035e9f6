package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Metrics.Task;
import org.junit.jupiter.api.Test;

/** What all tasks share: the choice of task, the factories, and the refusals of mismatched input. */
class MetricsTest {

    @Test
    void theTaskFollowsTheOutputActivation() {
        assertEquals(Task.MULTICLASS, task(Activation.SOFTMAX, 4, Loss.CATEGORICAL_CROSS_ENTROPY));
        assertEquals(Task.MULTICLASS, task(Activation.SOFTMAX, 2, Loss.SQUARED_ERROR));
        assertEquals(Task.BINARY, task(Activation.SIGMOID, 1, Loss.BINARY_CROSS_ENTROPY));
        assertEquals(Task.BINARY, task(Activation.SIGMOID, 1, Loss.SQUARED_ERROR));
        assertEquals(Task.MULTILABEL, task(Activation.SIGMOID, 5, Loss.BINARY_CROSS_ENTROPY));
        assertEquals(Task.REGRESSION, task(Activation.IDENTITY, 1, Loss.SQUARED_ERROR));
        assertEquals(Task.REGRESSION, task(Activation.TANH, 3, Loss.SQUARED_ERROR));
        assertEquals(Task.REGRESSION, task(Activation.RELU, 2, Loss.SQUARED_ERROR));
        Metrics m = Metrics.forNetwork(Network.of(new int[] {4, 8, 5}, Activation.RELU, Activation.SIGMOID,
                Loss.BINARY_CROSS_ENTROPY));
        assertEquals(5, assertInstanceOf(MultilabelMetrics.class, m).labels());
        assertEquals(5, m.outputs());
    }

    @Test
    void eachTaskHasItsOwnType() {
        assertInstanceOf(MulticlassMetrics.class, Metrics.of(Task.MULTICLASS, 3));
        assertInstanceOf(BinaryMetrics.class, Metrics.of(Task.BINARY, 1));
        assertInstanceOf(MultilabelMetrics.class, Metrics.of(Task.MULTILABEL, 2));
        assertInstanceOf(RegressionMetrics.class, Metrics.of(Task.REGRESSION, 1));
        for (Task task : Task.values()) {
            assertEquals(task, Metrics.of(task, task == Task.BINARY ? 1 : 2).task());
        }
        assertEquals("multiclass", Task.MULTICLASS.id());
        assertEquals("regression", Task.REGRESSION.id());
    }

    @Test
    void mismatchedWidthsAndTasksAreRefused() {
        MulticlassMetrics multiclass = new MulticlassMetrics(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> multiclass.merge(new MulticlassMetrics(4)));
        assertEquals("cannot merge a multiclass evaluation of 4 output(s) into a multiclass evaluation of 3",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> multiclass.merge(new MultilabelMetrics(3)));
        assertThrows(IllegalArgumentException.class, () -> new MultilabelMetrics(2).merge(new BinaryMetrics()));
        assertThrows(IllegalArgumentException.class, () -> multiclass.add(new double[5], new double[6], 2, 0));
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.of(Task.BINARY, 2));
        assertTrue(e.getMessage().startsWith("a binary evaluation cannot have 2 output(s)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(Task.MULTICLASS, 1));
        assertThrows(IllegalArgumentException.class, () -> new MultilabelMetrics(1));
        assertThrows(IllegalArgumentException.class, () -> new RegressionMetrics(0));
        assertThrows(IllegalArgumentException.class, () -> new MulticlassMetrics(46_341));
    }

    private static Task task(Activation output, int units, Loss loss) {
        return Metrics.forNetwork(Network.of(new int[] {3, units}, Activation.RELU, output, loss)).task();
    }
}
