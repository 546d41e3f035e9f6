package io.sparkprop.engine;

import java.util.List;
import java.util.Optional;

/**
 * A network with its trained parameters and, when it was trained on standardised features, the
 * standardisation: everything needed to predict from raw features. A classifier may also know
 * what its classes are called (the values StringIndexer indexed). Immutable.
 */
public final class Model {
    private final Network network;
    private final double[] parameters;
    private final Standardization standardization;
    /** The name of class i at index i, or null when the classes are known by index only. */
    private final List<String> labels;

    public Model(Network network, double[] parameters) {
        this(network, parameters, null);
    }

    /** @param standardization applied to raw features before the network, or null for none */
    public Model(Network network, double[] parameters, Standardization standardization) {
        this(network, parameters, standardization, null);
    }

    private Model(Network network, double[] parameters, Standardization standardization, List<String> labels) {
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
        this.labels = labels;
    }

    /**
     * This model with its classes named: {@code labels.get(i)} is class i (for a binary model, 0 and
     * 1; for a multi-label model, the label of output i).
     *
     * @throws IllegalArgumentException for a regression model, or when the count does not match
     *         the classes, or a name is null or repeated
     */
    public Model withLabels(List<String> labels) {
        if (!network.isClassifier()) {
            throw new IllegalArgumentException("the regression model " + network + " has no classes to name");
        }
        int classes = network.classes();
        if (labels.size() != classes) {
            throw new IllegalArgumentException(labels.size() + " class labels for a model of " + classes + " classes");
        }
        if (labels.stream().anyMatch(java.util.Objects::isNull) || labels.stream().distinct().count() != classes) {
            throw new IllegalArgumentException("class labels must be distinct and not null, got " + labels);
        }
        return new Model(network, parameters, standardization, List.copyOf(labels));
    }

    /** The classes' names, index by index, when the model knows them. */
    public Optional<List<String>> labels() {
        return Optional.ofNullable(labels);
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
