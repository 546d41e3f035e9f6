package io.sparkprop.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The architecture of a multilayer perceptron: input width, fully connected layers and the loss.
 *
 * <p><b>Parameter layout.</b> All weights and biases live in one flat {@code double[]}. Layer
 * {@code l} (0-based) occupies {@link #weightOffset(int)} .. {@link #biasOffset(int)} + units:
 * first its weight matrix, stored as {@code [units][fanIn]} row-major (row {@code j} holds the
 * incoming weights of unit {@code j}, like PyTorch's {@code Linear.weight}), then its
 * {@code units} biases. In BLAS (column-major) terms the block is W_l, an fanIn × units matrix with
 * leading dimension fanIn, so {@code Z = A W + 1 bᵀ} needs no transposed copies.
 */
public record Network(int inputSize, List<Layer> layers, Loss loss) implements Serializable {

    private static final Pattern LAYER = Pattern.compile("\\s*([A-Za-z]+)\\s*\\(\\s*(\\d+)\\s*\\)\\s*");

    public Network {
        if (inputSize < 1) {
            throw new IllegalArgumentException("the input needs at least one feature, got " + inputSize);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        layers = List.copyOf(layers);
        for (int l = 0; l < layers.size() - 1; l++) {
            if (layers.get(l).activation() == Activation.SOFTMAX) {
                throw new IllegalArgumentException("softmax is allowed on the output layer only (layer "
                        + (l + 1) + " of " + layers.size() + ")");
            }
        }
        Layer out = layers.get(layers.size() - 1);
        Activation required = loss.requiredOutput();
        if (required != null && out.activation() != required) {
            throw new IllegalArgumentException("loss " + loss.id() + " needs a " + required.id()
                    + " output layer, got " + out.activation().id());
        }
        if (out.activation() == Activation.SOFTMAX && out.units() < 2) {
            throw new IllegalArgumentException("a softmax output needs at least 2 units");
        }
    }

    /**
     * Parses a layer spec such as {@code "sigmoid(256)|sigmoid(128)|softmax(10)"}, with the loss
     * that goes with its output ({@link Loss#defaultFor}); the input width comes from the data.
     */
    public static Network parse(String spec, int inputSize) {
        Network parsed = parse(spec, inputSize, Loss.SQUARED_ERROR); // any output takes squared error
        return parsed.withLoss(Loss.defaultFor(parsed.output().activation()));
    }

    /**
     * Parses a layer spec such as {@code "sigmoid(256)|sigmoid(128)|softmax(10)"}; the input
     * width comes from the data.
     */
    public static Network parse(String spec, int inputSize, Loss loss) {
        List<Layer> layers = new ArrayList<>();
        for (String part : spec.split("\\|", -1)) {
            Matcher m = LAYER.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("cannot read layer '" + part.trim() + "' in '" + spec
                        + "' (expected e.g. sigmoid(256)|softmax(10))");
            }
            layers.add(new Layer(parseUnits(m.group(2)), Activation.parse(m.group(1))));
        }
        return new Network(inputSize, layers, loss);
    }

    /**
     * Builds a network from layer widths {@code [input, hidden..., output]}, with one activation
     * for the hidden layers, another for the output, and the loss that goes with the output
     * ({@link Loss#defaultFor}).
     */
    public static Network of(int[] sizes, Activation hidden, Activation output) {
        return of(sizes, hidden, output, Loss.defaultFor(output));
    }

    /**
     * Builds a network from layer widths {@code [input, hidden..., output]}, with one activation
     * for the hidden layers and another for the output.
     */
    public static Network of(int[] sizes, Activation hidden, Activation output, Loss loss) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("layer sizes need an input and an output width, got "
                    + sizes.length + " number(s)");
        }
        List<Layer> layers = new ArrayList<>();
        for (int l = 1; l < sizes.length; l++) {
            layers.add(new Layer(sizes[l], l == sizes.length - 1 ? output : hidden));
        }
        return new Network(sizes[0], layers, loss);
    }

    /**
     * This network trained for {@code loss} instead.
     *
     * @throws IllegalArgumentException if the loss needs another output activation
     */
    public Network withLoss(Loss loss) {
        return new Network(inputSize, layers, loss);
    }

    private static int parseUnits(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layer width " + digits + " is too large");
        }
    }

    /** Number of layers with weights (the input is not a layer). */
    public int depth() {
        return layers.size();
    }

    /** Width of layer {@code l}'s input: the data for l = 0, else the previous layer. */
    public int fanIn(int l) {
        return l == 0 ? inputSize : layers.get(l - 1).units();
    }

    public int units(int l) {
        return layers.get(l).units();
    }

    public Layer output() {
        return layers.get(layers.size() - 1);
    }

    public int outputSize() {
        return output().units();
    }

    /** Offset of layer l's weight matrix in the flat parameter vector. */
    public int weightOffset(int l) {
        int offset = 0;
        for (int i = 0; i < l; i++) {
            offset += (fanIn(i) + 1) * units(i);
        }
        return offset;
    }

    /** Offset of layer l's biases, right after its weights. */
    public int biasOffset(int l) {
        return weightOffset(l) + fanIn(l) * units(l);
    }

    /** Length of the flat parameter vector. */
    public int parameterCount() {
        long total = 0;
        for (int l = 0; l < depth(); l++) {
            total += (long) (fanIn(l) + 1) * units(l);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("network has " + total + " parameters, more than a Java array holds");
        }
        return (int) total;
    }

    /** True when outputs are class scores (sigmoid or softmax), so accuracy is meaningful. */
    public boolean isClassifier() {
        Activation a = output().activation();
        return a == Activation.SIGMOID || a == Activation.SOFTMAX;
    }

    /**
     * The classes of a classifier: the output width, or 2 for a single sigmoid unit (binary); for a
     * regression network, its outputs.
     */
    public int classes() {
        return isClassifier() && outputSize() == 1 ? 2 : outputSize();
    }

    /** The layer spec, e.g. {@code "sigmoid(256)|softmax(10)"}. */
    public String spec() {
        return String.join("|", layers.stream().map(Layer::toString).toList());
    }

    @Override
    public String toString() {
        return inputSize + " -> " + spec() + " with " + loss.id();
    }
}
