package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GradientDescentTest {
    private static final double TOLERANCE = 1e-12;
    private static final double[][] NO_STATE = new double[0][];

    @Test
    void stepsAgainstTheGradient() {
        GradientDescent gd = new GradientDescent();
        double[] w = {1.0, -2.0, 0.5};
        double[] g = {0.5, -1.0, 2.0};

        // W − η g with η = 0.1: (1 − 0.05, −2 + 0.1, 0.5 − 0.2)
        gd.step(w, g, 0.1, 1, NO_STATE);
        assertArrayEquals(new double[] {0.95, -1.9, 0.3}, w, TOLERANCE);

        // Stateless: the same gradient moves the same distance again: (0.95 − 0.05, −1.9 + 0.1, 0.3 − 0.2)
        gd.step(w, g, 0.1, 2, NO_STATE);
        assertArrayEquals(new double[] {0.9, -1.8, 0.1}, w, TOLERANCE);
        assertArrayEquals(new double[] {0.5, -1.0, 2.0}, g, 0.0);
    }

    @Test
    void rejectsAGradientOfAnotherLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GradientDescent().step(new double[3], new double[2], 0.1, 1, NO_STATE));
        assertEquals("the gradient has 2 entries, the parameters 3", e.getMessage());
    }

    @Test
    void describesItselfAndKeepsNoState() {
        assertEquals("gd", new GradientDescent().describe());
        assertEquals(List.of(), new GradientDescent().stateNames());
    }
}
