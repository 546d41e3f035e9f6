package io.sparkprop.engine;

import java.util.Optional;

/**
 * A network with its trained parameters and, when it was trained on standardised features, the
 * standardisation: everything needed to predict from raw features. Immutable.
 */
public final class Model {
    private final Network network;
    private final double[] parameters;
    private final Standardization standardization;

    public Model(Network network, double[] parameters) {
        this(network, parameters, null);
    }

    /** @param standardization applied to raw features before the network, or null for none */
    public Model(Network network, double[] parameters, Standardization standardization) {
        if (parameters.length != network.parameterCount()) {
            throw new IllegalArgumentException("network " + network + " has " + network.parameterCount()
                    + " parameters, got " + parameters.length);
        }
        if (standardization != null && standardization.features() != network.inputSize()) {
            throw new IllegalArgumentException("standardisation of " + standardization.features()
                    + " features for a network of " + network.inputSize() + " inputs");
        }
        this.network = network;
        this.parameters = parameters.clone();
        this.standardization = standardization;
    }

    public Network network() {
        return network;
    }

    /** A copy of the flat parameter vector (layout in {@link Network}). */
    public double[] parameters() {
        return parameters.clone();
    }

    public Optional<Standardization> standardization() {
        return Optional.ofNullable(standardization);
    }

    /**
     * Outputs for {@code rows} examples of raw features given row-major; returns rows ×
     * outputSize, row-major.
     */
    public double[] predict(double[] features, int rows) {
        double[] x = features;
        if (standardization != null) {
            x = java.util.Arrays.copyOf(features, rows * network.inputSize());
            standardization.apply(x, rows);
        }
        double[] out = new double[rows * network.outputSize()];
        new Backprop(network).predict(parameters, x, rows, new Workspace(network, rows), out);
        return out;
    }
}
