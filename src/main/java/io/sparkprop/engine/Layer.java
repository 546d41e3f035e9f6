package io.sparkprop.engine;

import java.io.Serializable;

/** One fully connected layer: its number of units and their activation. */
public record Layer(int units, Activation activation) implements Serializable {
    public Layer {
        if (units < 1) {
            throw new IllegalArgumentException("a layer needs at least one unit, got " + units);
        }
        java.util.Objects.requireNonNull(activation, "activation");
    }

    @Override
    public String toString() {
        return activation.id() + "(" + units + ")";
    }
}
