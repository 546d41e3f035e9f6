package io.sparkprop.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StandardizationTest {
    @Test
    void centresAndScalesEachFeatureAndOnlyCentresAConstantOne() {
        Standardization s = Standardization.fromMoments(new double[] {1, 5}, new double[] {4, 0});
        assertArrayEquals(new double[] {2, 1}, s.scale());
        double[] x = {3, 5, -1, 7};
        s.apply(x, 2);
        assertArrayEquals(new double[] {1, 0, -1, 2}, x);
    }

    @Test
    void aModelStandardisesRawFeaturesBeforeItsNetwork() {
        Network network = Network.parse("identity(1)", 2, Loss.SQUARED_ERROR);
        double[] params = {1, 1, 0}; // y = x0' + x1'
        Model model = new Model(network, params, new Standardization(new double[] {1, 2}, new double[] {2, 4}));
        assertArrayEquals(new double[] {(5 - 1) / 2.0 + (10 - 2) / 4.0}, model.predict(new double[] {5, 10}, 1));
        assertThrows(IllegalArgumentException.class, () -> new Model(network, params,
                new Standardization(new double[] {0}, new double[] {1})));
    }

    @Test
    void rejectsNonPositiveScales() {
        assertThrows(IllegalArgumentException.class,
                () -> new Standardization(new double[] {0}, new double[] {0}));
    }
}
