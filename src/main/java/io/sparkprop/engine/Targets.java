package io.sparkprop.engine;

/**
 * How labels become the target vectors the loss compares outputs with.
 * <ul>
 *   <li>a network with several outputs and a numeric label: the label is a class index
 *       0..outputs−1, encoded one-hot;</li>
 *   <li>a network with one output: the label is the target itself (0 or 1 for binary
 *       cross-entropy);</li>
 *   <li>a vector label: the target vector, of the output's width.</li>
 * </ul>
 */
public final class Targets {
    private Targets() {
    }

    /**
     * Writes the target for a numeric label into {@code dst[offset .. offset + outputs)}.
     *
     * @throws IllegalArgumentException if the label does not fit the network, with a message
     *         saying what was expected
     */
    public static void encode(Network network, double label, double[] dst, int offset) {
        int outputs = network.outputSize();
        if (outputs == 1) {
            if (!Double.isFinite(label)) {
                throw new IllegalArgumentException("label " + label + " is not a finite number");
            }
            if (network.loss() == Loss.BINARY_CROSS_ENTROPY && (label < 0.0 || label > 1.0)) {
                throw new IllegalArgumentException("label " + label
                        + " is not in [0, 1], as binary cross-entropy needs");
            }
            dst[offset] = label;
            return;
        }
        if (label != Math.rint(label) || label < 0 || label >= outputs) {
            throw new IllegalArgumentException("label " + label + " is not a class index 0.." + (outputs - 1)
                    + " (the output layer has " + outputs + " units)");
        }
        java.util.Arrays.fill(dst, offset, offset + outputs, 0.0);
        dst[offset + (int) label] = 1.0;
    }

    /** Copies a vector label into {@code dst}, checking its width. */
    public static void encode(Network network, double[] label, double[] dst, int offset) {
        if (label.length != network.outputSize()) {
            throw new IllegalArgumentException("label vector has " + label.length
                    + " values, the output layer has " + network.outputSize() + " units");
        }
        System.arraycopy(label, 0, dst, offset, label.length);
    }
}
