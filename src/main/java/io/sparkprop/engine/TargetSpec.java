package io.sparkprop.engine;

import java.util.Arrays;

/**
 * What a network's labels must be, from its output width and loss alone (no input width), so a
 * data reader can check every label where it knows the file and line:
 * <ul>
 *   <li>several outputs and a numeric label: a class index 0..outputs−1, encoded one-hot;</li>
 *   <li>one output: the target itself, finite (0..1 for binary cross-entropy);</li>
 *   <li>a vector label: the target vector, finite, of the output's width (each value in 0..1 for
 *       binary cross-entropy: multi-label classification).</li>
 * </ul>
 */
public record TargetSpec(int outputs, Loss loss) implements java.io.Serializable {
    public TargetSpec {
        if (outputs < 1) {
            throw new IllegalArgumentException("a network has at least one output, got " + outputs);
        }
    }

    public static TargetSpec of(Network network) {
        return new TargetSpec(network.outputSize(), network.loss());
    }

    /**
     * Why {@code label} is not a valid numeric label, or {@code null} when it is. Builds a message
     * only for a bad label.
     */
    public String problem(double label) {
        if (outputs == 1) {
            if (!Double.isFinite(label)) {
                return "label " + label + " is not a finite number";
            }
            if (loss == Loss.BINARY_CROSS_ENTROPY && (label < 0.0 || label > 1.0)) {
                return "label " + label + " is not in [0, 1], as binary cross-entropy needs";
            }
            return null;
        }
        if (label != Math.rint(label) || label < 0 || label >= outputs) {
            return "label " + label + " is not a class index 0.." + (outputs - 1) + " (the output layer has "
                    + outputs + " units)";
        }
        return null;
    }

    /** Why {@code label} is not a valid vector label, or {@code null} when it is. */
    public String problem(double[] label) {
        if (label.length != outputs) {
            return "label vector has " + label.length + " values, the output layer has " + outputs + " units";
        }
        for (int k = 0; k < label.length; k++) {
            if (!Double.isFinite(label[k])) {
                return "label vector value " + k + " is " + label[k] + "; expected a finite number";
            }
            if (loss == Loss.BINARY_CROSS_ENTROPY && (label[k] < 0.0 || label[k] > 1.0)) {
                return "label vector value " + k + " is " + label[k] + ", not in [0, 1] as binary cross-entropy needs";
            }
        }
        return null;
    }

    /**
     * Writes the target for a numeric label into {@code dst[offset .. offset + outputs)}.
     *
     * @throws IllegalArgumentException if the label does not fit, saying what was expected
     */
    public void encode(double label, double[] dst, int offset) {
        String problem = problem(label);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (outputs == 1) {
            dst[offset] = label;
        } else {
            Arrays.fill(dst, offset, offset + outputs, 0.0);
            dst[offset + (int) label] = 1.0;
        }
    }

    /** Copies a vector label into {@code dst}, checking it. */
    public void encode(double[] label, double[] dst, int offset) {
        String problem = problem(label);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        System.arraycopy(label, 0, dst, offset, label.length);
    }
}
