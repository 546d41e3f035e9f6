package io.sparkprop.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.engine.ClassThresholds;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.io.BuildInfo;
import io.sparkprop.io.InputPath;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.OutputKind;
import io.sparkprop.io.PendingOutput;
import io.sparkprop.io.StoredModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import org.apache.hadoop.conf.Configuration;

/**
 * A model as an ONNX file that ONNX Runtime (or any ONNX runtime at opset {@value #OPSET}) serves
 * without sparkprop or Spark: input {@value #FEATURES} ([N, d] raw features, float32 by default or
 * float64); outputs {@value #PROBABILITIES} and {@value #LABEL} for a classifier,
 * {@value #PREDICTION} for a regression model. {@link OnnxGraph} says what each computes.
 *
 * <p>The model's metadata (ONNX {@code metadata_props}) says where it came from: the sparkprop
 * version, when it was exported, the network, the task, the precision, the SHA-256 of the model's
 * {@code weights.bin} (as its {@code metadata.json} records it), how it was trained, the class labels
 * when the model knows them and the thresholds when the label uses them; keys in {@link Key}.
 *
 * <p>Immutable: each {@code with} method gives a new export.
 */
public final class OnnxExport {
    /** The ONNX operator set the graph is written for (ONNX 1.12), with the IR version that goes with it. */
    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;
    public static final String FEATURES = "features";
    public static final String PROBABILITIES = "probabilities";
    public static final String LABEL = "label";
    public static final String PREDICTION = "prediction";
    /**
     * The largest file written: protobuf's limit on one message is 2 GiB; a little is kept for the
     * graph and the metadata.
     */
    static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - (1 << 24);

    /** The keys of the model's metadata. */
    public enum Key {
        SPARKPROP_VERSION("sparkprop_version"), CREATED_AT("created_at"), NETWORK("network"), TASK("task"),
        DTYPE("dtype"), WEIGHTS_SHA256("weights_sha256"), TRAINING("training"), LABELS("labels"),
        THRESHOLDS("thresholds");

        private final String id;

        Key(String id) {
            this.id = id;
        }

        /** The key as written. */
        public String id() {
            return id;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Model model;
    private final Precision precision;
    private final double[] thresholds;
    private final Map<String, Object> training;
    /** The SHA-256 of the model's weights.bin, or null to compute it from the weights. */
    private final String weightsSha256;

    private OnnxExport(Model model, Precision precision, double[] thresholds, Map<String, Object> training,
                       String weightsSha256) {
        this.model = model;
        this.precision = precision;
        this.thresholds = thresholds;
        this.training = training;
        this.weightsSha256 = weightsSha256;
    }

    /** An export of {@code model} in float32, without thresholds or training settings. */
    public static OnnxExport of(Model model) {
        return new OnnxExport(model, Precision.FLOAT32, null, Map.of(), null);
    }

    /** An export of a model read from its directory, in float32, with how it was trained as its directory records it. */
    public static OnnxExport of(StoredModel stored) {
        return new OnnxExport(stored.model(), Precision.FLOAT32, null, stored.training(), stored.weightsSha256());
    }

    /** In {@code precision}: the weights, the input and the float outputs. */
    public OnnxExport withPrecision(Precision precision) {
        return new OnnxExport(model, java.util.Objects.requireNonNull(precision, "precision"), thresholds, training,
                weightsSha256);
    }

    /**
     * With Spark's per-class thresholds for the label (one per class; none negative, at most one
     * 0), or none for the plain arg-max.
     *
     * @throws IllegalArgumentException for a model that is not a multiclass or binary classifier,
     *         or thresholds that do not fit it
     */
    public OnnxExport withThresholds(double[] thresholds) {
        if (thresholds == null) {
            return new OnnxExport(model, precision, null, training, weightsSha256);
        }
        double[] checked = ClassThresholds.checked(thresholds);
        ClassThresholds.requireFits(checked, model.network());
        return new OnnxExport(model, precision, checked, training, weightsSha256);
    }

    /**
     * With how the model was trained, written as JSON into the metadata: a model directory's
     * {@code training} section, or a Spark ML model's Params.
     */
    public OnnxExport withTraining(Map<String, ?> training) {
        return new OnnxExport(model, precision, thresholds, new LinkedHashMap<>(training), weightsSha256);
    }

    /**
     * The ONNX model as bytes.
     *
     * @throws UnsupportedModelException when the weights do not fit in one ONNX file
     */
    public byte[] toByteArray() {
        return build().toByteArray();
    }

    /** Writes the ONNX model to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        build().writeTo(out);
    }

    /** {@link #save(Configuration, String, boolean, List)} for a job that reads no files. */
    public void save(Configuration hadoop, String path, boolean overwrite) {
        save(hadoop, path, overwrite, List.of());
    }

    /**
     * Writes the ONNX model to {@code path} (any path Hadoop writes): aside, then moved into place
     * whole, so the file is complete or absent.
     *
     * @param overwrite an existing ONNX file that sparkprop exported (or an empty file) may be
     *        replaced; anything else at the path is refused
     * @param inputs what the job reads (the model directory): the output may not be, contain or lie
     *        inside any of them
     * @throws io.sparkprop.io.ModelStoreException when the path may not be written, with the reason
     */
    public void save(Configuration hadoop, String path, boolean overwrite, List<InputPath> inputs) {
        ModelProto onnx = build(); // before reserving: an unsupported model leaves nothing behind
        try (PendingOutput output = PendingOutput.reserve(hadoop, OutputKind.ONNX, path, overwrite, inputs)) {
            try (OutputStream out = output.create()) {
                onnx.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
            }
            output.commit();
        }
    }

    /**
     * Fails unless the weights of {@code network} in {@code precision} fit in one ONNX file.
     *
     * @throws UnsupportedModelException with the size, and whether float32 would fit
     */
    static void checkSize(Network network, Precision precision) {
        long values = network.parameterCount() + 2L * network.inputSize() + network.classes();
        long bytes = values * (precision == Precision.FLOAT64 ? 8 : 4);
        if (bytes > MAX_TENSOR_BYTES) {
            boolean halfFits = precision == Precision.FLOAT64 && bytes / 2 <= MAX_TENSOR_BYTES;
            throw new UnsupportedModelException("the model " + network + " has " + network.parameterCount()
                    + " parameters, " + (bytes >> 20) + " MiB in " + precision.id() + "; one ONNX file holds at most "
                    + "2 GiB (protobuf's limit), and sparkprop does not write ONNX external data"
                    + (halfFits ? "; in float32 it fits" : ""));
        }
    }

    private ModelProto build() {
        Network network = model.network();
        checkSize(network, precision);
        ModelProto.Builder onnx = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(OutputKind.ONNX.format())
                .setProducerVersion(BuildInfo.version())
                .setDomain("io.sparkprop")
                .setModelVersion(1)
                .setDocString("sparkprop multilayer perceptron " + network + ", " + Metrics.taskOf(network).id())
                .setGraph(OnnxGraph.of(model, precision, thresholds));
        metadata().forEach((key, value) -> onnx.addMetadataProps(StringStringEntryProto.newBuilder()
                .setKey(key.id()).setValue(value)));
        return onnx.build();
    }

    private Map<Key, String> metadata() {
        Map<Key, String> props = new LinkedHashMap<>();
        props.put(Key.SPARKPROP_VERSION, BuildInfo.version());
        props.put(Key.CREATED_AT, Instant.now().toString());
        props.put(Key.NETWORK, model.network().toString());
        props.put(Key.TASK, Metrics.taskOf(model.network()).id());
        props.put(Key.DTYPE, precision.id());
        props.put(Key.WEIGHTS_SHA256, weightsSha256 != null ? weightsSha256 : ModelStore.checksum(model));
        props.put(Key.TRAINING, json(training));
        model.labels().ifPresent(labels -> props.put(Key.LABELS, json(labels)));
        if (thresholds != null) {
            props.put(Key.THRESHOLDS, json(thresholds));
        }
        return props;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
