package io.sparkprop.onnx;

import com.google.protobuf.UnsafeByteOperations;
import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.Standardization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * The ONNX graph of a model, node for node what sparkprop computes when it scores a row (see
 * {@code Scorer}):
 * <ol>
 *   <li>the standardisation, when the model has one: {@code Sub} the means, {@code Div} by the
 *       scales, as the engine does (not folded into the first layer, which would round differently);</li>
 *   <li>per layer a {@code Gemm} (weights {@code [units][fanIn]} as stored, {@code transB = 1},
 *       the biases as C), then its activation: {@code Sigmoid}, {@code Tanh}, {@code Relu},
 *       {@code Softmax} on axis 1, or nothing for identity;</li>
 *   <li>for a classifier {@value OnnxExport#PROBABILITIES}: the softmax outputs, the sigmoids of a
 *       multi-label model, or {@code [1 − p, p]} for a binary model's one unit; and
 *       {@value OnnxExport#LABEL}: the arg-max class (int64, one per row; a binary model's tie at
 *       p = 0.5 goes to class 1, like sparkprop's {@code p ≥ 0.5}), with thresholds the arg-max of
 *       p<sub>k</sub> / t<sub>k</sub> where a threshold of 0 wins outright (Spark's rule); for a
 *       multi-label model, one int64 per label, 1 where p ≥ 0.5;</li>
 *   <li>for a regression model {@value OnnxExport#PREDICTION}: the output layer's values.</li>
 * </ol>
 * Weights and constants are initializers in the chosen precision; the input and the float
 * outputs have that precision too.
 */
final class OnnxGraph {
    /** The batch dimension, any size. */
    static final String ROWS = "N";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Precision precision;

    private OnnxGraph(Precision precision) {
        this.precision = precision;
    }

    /**
     * The graph of {@code model}.
     *
     * @param thresholds Spark's per-class thresholds for the label of a multiclass or binary model, or null
     */
    static GraphProto of(Model model, Precision precision, double[] thresholds) {
        return new OnnxGraph(precision).build(model, thresholds);
    }

    /** The ONNX element type of the float values. */
    static TensorProto.DataType elementType(Precision precision) {
        return precision == Precision.FLOAT64 ? TensorProto.DataType.DOUBLE : TensorProto.DataType.FLOAT;
    }

    private GraphProto build(Model model, double[] thresholds) {
        Network network = model.network();
        Metrics.Task task = Metrics.taskOf(network);
        graph.setName("sparkprop_mlp");
        graph.setDocString(network.toString());
        graph.addInput(tensor(OnnxExport.FEATURES, elementType(precision), "raw features, as in training: the "
                        + "graph standardises them itself", ROWS, network.inputSize()));

        String x = OnnxExport.FEATURES;
        if (model.standardization().isPresent()) {
            Standardization st = model.standardization().get();
            String mean = initializer("standardization_mean", st.mean(), st.features());
            String scale = initializer("standardization_scale", st.scale(), st.features());
            x = node("Sub", "standardization_centre", List.of(x, mean), "centred");
            x = node("Div", "standardization_scale", List.of(x, scale), "standardized");
        }
        double[] parameters = model.parameters();
        String finalName = switch (task) {
            case MULTICLASS, MULTILABEL -> OnnxExport.PROBABILITIES;
            case BINARY -> "positive";
            case REGRESSION -> OnnxExport.PREDICTION;
        };
        for (int l = 0; l < network.depth(); l++) {
            String layer = "layer" + (l + 1);
            boolean last = l == network.depth() - 1;
            Activation activation = network.layers().get(l).activation();
            int units = network.units(l);
            int fanIn = network.fanIn(l);
            int w = network.weightOffset(l);
            int b = network.biasOffset(l);
            String weight = initializer(layer + "_weight", parameters, w, units * fanIn, units, fanIn);
            String bias = initializer(layer + "_bias", parameters, b, units, units);
            boolean identity = activation == Activation.IDENTITY;
            x = node("Gemm", layer + "_gemm", List.of(x, weight, bias), last && identity ? finalName : layer + "_z",
                    intAttribute("transB", 1));
            if (!identity) {
                String op = switch (activation) {
                    case SIGMOID -> "Sigmoid";
                    case TANH -> "Tanh";
                    case RELU -> "Relu";
                    case SOFTMAX -> "Softmax";
                    case IDENTITY -> throw new AssertionError();
                };
                AttributeProto[] attributes = activation == Activation.SOFTMAX
                        ? new AttributeProto[] {intAttribute("axis", 1)} : new AttributeProto[0];
                x = node(op, layer + "_" + activation.id(), List.of(x), last ? finalName : layer + "_" + activation.id(),
                        attributes);
            }
        }

        TensorProto.DataType floats = elementType(precision);
        int classes = network.classes();
        switch (task) {
            case REGRESSION -> graph.addOutput(tensor(OnnxExport.PREDICTION, floats, "the network's outputs", ROWS,
                    classes));
            case MULTILABEL -> {
                String half = initializer("half", new double[] {0.5});
                String predicted = node("GreaterOrEqual", "label_at_least_half", List.of(x, half), "label_predicted");
                node("Cast", "label_cast", List.of(predicted), OnnxExport.LABEL,
                        intAttribute("to", TensorProto.DataType.INT64_VALUE));
                graph.addOutput(tensor(OnnxExport.PROBABILITIES, floats, "each label's probability", ROWS, classes));
                graph.addOutput(tensor(OnnxExport.LABEL, TensorProto.DataType.INT64, "1 where a label is predicted "
                        + "(probability at least 0.5), else 0", ROWS, classes));
            }
            case BINARY, MULTICLASS -> {
                if (task == Metrics.Task.BINARY) {
                    String one = initializer("one", new double[] {1.0});
                    String negative = node("Sub", "negative_class", List.of(one, x), "negative");
                    node("Concat", "class_probabilities", List.of(negative, x), OnnxExport.PROBABILITIES,
                            intAttribute("axis", 1));
                }
                label(task, thresholds);
                graph.addOutput(tensor(OnnxExport.PROBABILITIES, floats, "each class's probability", ROWS, classes));
                graph.addOutput(tensor(OnnxExport.LABEL, TensorProto.DataType.INT64, "the predicted class index",
                        ROWS));
            }
        }
        return graph.build();
    }

    /** Binary and multiclass: {@value OnnxExport#LABEL} from {@value OnnxExport#PROBABILITIES}. */
    private void label(Metrics.Task task, double[] thresholds) {
        String scores = OnnxExport.PROBABILITIES;
        boolean lastOnTies = task == Metrics.Task.BINARY && thresholds == null;
        if (thresholds != null) {
            // p / t, and +inf where t = 0: Div by t (1 where t = 0), then Add +inf there and 0 elsewhere.
            double[] divisors = new double[thresholds.length];
            double[] infinities = new double[thresholds.length];
            for (int k = 0; k < thresholds.length; k++) {
                divisors[k] = thresholds[k] == 0 ? 1.0 : thresholds[k];
                infinities[k] = thresholds[k] == 0 ? Double.POSITIVE_INFINITY : 0.0;
            }
            String divided = node("Div", "thresholds_divide", List.of(scores,
                    initializer("thresholds", divisors, divisors.length)), "scaled_by_thresholds");
            scores = node("Add", "thresholds_zero_wins", List.of(divided,
                    initializer("thresholds_zero", infinities, infinities.length)), "scaled_probabilities");
        }
        node("ArgMax", "label_argmax", List.of(scores), OnnxExport.LABEL, intAttribute("axis", 1),
                intAttribute("keepdims", 0), intAttribute("select_last_index", lastOnTies ? 1 : 0));
    }

    /** Adds a node; returns its output's name. */
    private String node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output)
                .addAllAttribute(Arrays.asList(attributes)));
        return output;
    }

    /** Adds a constant of the graph's precision (little-endian raw data); returns its name. */
    private String initializer(String name, double[] values, long... dims) {
        return initializer(name, values, 0, values.length, dims);
    }

    /** Adds {@code values[offset .. offset + length)} as a constant of the graph's precision; returns its name. */
    private String initializer(String name, double[] values, int offset, int length, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(length * (precision == Precision.FLOAT64 ? 8 : 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = offset; i < offset + length; i++) {
            if (precision == Precision.FLOAT64) {
                bytes.putDouble(values[i]);
            } else {
                bytes.putFloat((float) values[i]);
            }
        }
        // Wrapped, not copied (a layer's weights can be a large part of the heap); the array is not written again.
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(elementType(precision)
                .getNumber()).setRawData(UnsafeByteOperations.unsafeWrap(bytes.array()));
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        graph.addInitializer(tensor);
        return name;
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** A graph input or output: a tensor of {@code type} whose dimensions are named ({@link String}) or sized. */
    private static ValueInfoProto tensor(String name, TensorProto.DataType type, String doc, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            shape.addDim(dim instanceof String param ? TensorShapeProto.Dimension.newBuilder().setDimParam(param)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue((Integer) dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setDocString(doc).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }
}
