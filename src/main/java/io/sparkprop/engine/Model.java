package io.sparkprop.engine;

/** A network with its trained parameters: everything needed to predict. Immutable. */
public final class Model {
    private final Network network;
    private final double[] parameters;

    public Model(Network network, double[] parameters) {
        if (parameters.length != network.parameterCount()) {
            throw new IllegalArgumentException("network " + network + " has " + network.parameterCount()
                    + " parameters, got " + parameters.length);
        }
        this.network = network;
        this.parameters = parameters.clone();
    }

    public Network network() {
        return network;
    }

    /** A copy of the flat parameter vector (layout in {@link Network}). */
    public double[] parameters() {
        return parameters.clone();
    }

    /** Outputs for {@code rows} examples given row-major; returns rows × outputSize, row-major. */
    public double[] predict(double[] features, int rows) {
        double[] out = new double[rows * network.outputSize()];
        new Backprop(network).predict(parameters, features, rows, new Workspace(network, rows), out);
        return out;
    }
}
