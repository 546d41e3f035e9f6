package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Layer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Standardization;
import io.sparkprop.spark.EpochStats;
import io.sparkprop.spark.TrainingConfig;
import io.sparkprop.spark.TrainingResult;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Model directories: {@code metadata.json} (architecture, weight layout, how the model was
 * trained, final metrics), {@code weights.bin} (the flat parameter vector as little-endian
 * IEEE-754 float64, nothing else) and {@code metrics.json} (the run's outcome for schedulers:
 * rows, epochs run, kept epoch, seconds, training and validation metrics). Any path Hadoop can
 * write (local, HDFS, S3).
 *
 * <p>A model is written into a temporary sibling directory and renamed into place only when
 * complete, so a failed or interrupted job never leaves a half-written model behind; the
 * temporary directories a killed job left are removed by the next save of the same model, so a
 * re-run cleans up after it.
 */
public final class ModelStore {
    public static final String FORMAT = "sparkprop-mlp";
    public static final int FORMAT_VERSION = 1;
    public static final String METADATA = "metadata.json";
    public static final String WEIGHTS = "weights.bin";
    public static final String METRICS = "metrics.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Configuration hadoop;

    public ModelStore(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /**
     * Writes {@code result} to {@code dir}.
     *
     * @param source where the training data came from, recorded in the metadata
     * @param overwrite replace an existing directory; otherwise an existing one is an error
     */
    public void save(TrainingResult result, String source, String dir, boolean overwrite) {
        try {
            Path target = new Path(dir);
            FileSystem fs = target.getFileSystem(hadoop);
            fs.setWriteChecksum(false); // no .crc side files next to the model on a local disk
            requireWritable(dir, overwrite);
            Path parent = target.getParent();
            if (parent != null) {
                fs.mkdirs(parent);
            }
            String prefix = "." + target.getName() + ".tmp-";
            FileStatus[] leftovers = fs.globStatus(new Path(parent, prefix + "*"));
            for (FileStatus leftover : leftovers == null ? new FileStatus[0] : leftovers) {
                fs.delete(leftover.getPath(), true);
            }
            Path temporary = new Path(parent, prefix + UUID.randomUUID());
            try {
                fs.mkdirs(temporary);
                try (OutputStream out = fs.create(new Path(temporary, WEIGHTS))) {
                    writeWeights(result.model().parameters(), out);
                }
                try (OutputStream out = fs.create(new Path(temporary, METADATA))) {
                    JSON.writeValue(out, metadata(result, source));
                }
                try (OutputStream out = fs.create(new Path(temporary, METRICS))) {
                    JSON.writeValue(out, metrics(result, source));
                }
                if (fs.exists(target)) {
                    fs.delete(target, true);
                }
                if (!fs.rename(temporary, target)) {
                    throw new IOException("could not rename " + temporary + " to " + target);
                }
            } finally {
                if (fs.exists(temporary)) {
                    fs.delete(temporary, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails unless {@code dir} can be written: it does not exist, or {@code overwrite} allows
     * replacing it. Callers check before a long job, {@link #save} checks again.
     */
    public void requireWritable(String dir, boolean overwrite) {
        try {
            Path target = new Path(dir);
            if (!overwrite && target.getFileSystem(hadoop).exists(target)) {
                throw new ModelStoreException("model directory " + dir + " already exists; pass --overwrite to replace it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a model directory, checking that its parts agree. */
    public Model load(String dir) {
        Path root = new Path(dir);
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            Path metadataPath = new Path(root, METADATA);
            if (!fs.exists(metadataPath)) {
                throw new ModelStoreException(dir + " is not a sparkprop model directory: " + METADATA + " is missing");
            }
            JsonNode meta;
            try (InputStream in = fs.open(metadataPath)) {
                meta = JSON.readTree(in);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ModelStoreException(dir + "/" + METADATA + " is not valid JSON: " + e.getOriginalMessage());
            }
            Network network = network(meta, dir);
            Path weightsPath = new Path(root, WEIGHTS);
            if (!fs.exists(weightsPath)) {
                throw new ModelStoreException(dir + ": " + WEIGHTS + " is missing");
            }
            long bytes = fs.getFileStatus(weightsPath).getLen();
            long expected = 8L * network.parameterCount();
            if (bytes != expected) {
                throw new ModelStoreException(dir + "/" + WEIGHTS + " has " + bytes + " bytes; the network "
                        + network + " needs " + expected + " (" + network.parameterCount() + " float64 values)");
            }
            Standardization standardization = standardization(meta, network, dir);
            try (InputStream in = fs.open(weightsPath)) {
                return new Model(network, readWeights(in, network.parameterCount()), standardization);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Network network(JsonNode meta, String dir) {
        String where = dir + "/" + METADATA;
        if (!FORMAT.equals(meta.path("format").asText())) {
            throw new ModelStoreException(where + ": 'format' is not \"" + FORMAT + "\"");
        }
        int version = meta.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ModelStoreException(where + ": formatVersion " + meta.path("formatVersion")
                    + " is not supported (this sparkprop reads version " + FORMAT_VERSION + ")");
        }
        try {
            List<Layer> layers = new ArrayList<>();
            JsonNode layerNodes = meta.path("layers");
            if (!layerNodes.isArray() || layerNodes.isEmpty()) {
                throw new IllegalArgumentException("'layers' must be a non-empty array");
            }
            for (JsonNode layer : layerNodes) {
                layers.add(new Layer(requiredInt(layer, "units"), Activation.parse(layer.path("activation").asText())));
            }
            return new Network(requiredInt(meta, "inputSize"), layers, Loss.parse(meta.path("loss").asText()));
        } catch (IllegalArgumentException e) {
            throw new ModelStoreException(where + ": " + e.getMessage());
        }
    }

    private static Standardization standardization(JsonNode meta, Network network, String dir) {
        JsonNode node = meta.get("standardization");
        if (node == null || node.isNull()) {
            return null;
        }
        String where = dir + "/" + METADATA + ": standardization";
        double[] mean = doubles(node.get("mean"), network.inputSize(), where + ".mean");
        double[] scale = doubles(node.get("scale"), network.inputSize(), where + ".scale");
        try {
            return new Standardization(mean, scale);
        } catch (IllegalArgumentException e) {
            throw new ModelStoreException(where + ": " + e.getMessage());
        }
    }

    private static double[] doubles(JsonNode array, int length, String where) {
        if (array == null || !array.isArray() || array.size() != length) {
            throw new ModelStoreException(where + " must be an array of " + length + " numbers");
        }
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            if (!array.get(i).isNumber()) {
                throw new ModelStoreException(where + "[" + i + "] is not a number");
            }
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer");
        }
        return value.asInt();
    }

    private static ObjectNode metadata(TrainingResult result, String source) {
        Network network = result.model().network();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("createdAt", Instant.now().toString());
        root.put("inputSize", network.inputSize());
        ArrayNode layers = root.putArray("layers");
        for (Layer layer : network.layers()) {
            layers.addObject().put("units", layer.units()).put("activation", layer.activation().id());
        }
        root.put("loss", network.loss().id());
        root.put("parameterCount", network.parameterCount());
        result.model().standardization().ifPresent(st -> {
            ObjectNode node = root.putObject("standardization");
            node.put("description", "inputs are (x - mean) / scale before the first layer");
            ArrayNode mean = node.putArray("mean");
            ArrayNode scale = node.putArray("scale");
            for (int j = 0; j < st.features(); j++) {
                mean.add(st.mean()[j]);
                scale.add(st.scale()[j]);
            }
        });

        ObjectNode weights = root.putObject("weights");
        weights.put("file", WEIGHTS);
        weights.put("dtype", "float64");
        weights.put("byteOrder", "little-endian");
        weights.put("description", "one flat vector; for each layer in order, its weight matrix "
                + "[units][fanIn] row-major (row j = incoming weights of unit j), then its units biases");
        ArrayNode layout = weights.putArray("layout");
        for (int l = 0; l < network.depth(); l++) {
            ObjectNode entry = layout.addObject();
            entry.put("layer", l + 1);
            ObjectNode w = entry.putObject("weight");
            w.put("offset", network.weightOffset(l));
            w.putArray("shape").add(network.units(l)).add(network.fanIn(l));
            ObjectNode b = entry.putObject("bias");
            b.put("offset", network.biasOffset(l));
            b.put("length", network.units(l));
        }

        TrainingConfig config = result.config();
        ObjectNode training = root.putObject("training");
        training.put("data", source);
        training.put("rows", result.rows());
        training.put("epochs", config.epochs());
        training.put("epochsRun", result.history().size());
        training.put("keptEpoch", result.keptEpoch());
        training.put("batchSize", config.batchSize());
        training.put("learningRate", config.learningRate());
        training.set("optimizer", JSON.valueToTree(config.optimizer()));
        training.put("seed", config.seed());
        training.put("partitions", config.partitions());
        training.put("blockSize", config.blockSize());
        training.put("aggregationDepth", config.aggregationDepth());
        training.put("precision", config.precision().id());
        training.put("standardize", config.standardize());
        training.put("validationFraction", config.validationFraction());
        training.put("earlyStoppingPatience", config.patience());
        training.put("seconds", result.seconds());

        ObjectNode metrics = root.putObject("metrics");
        metrics.set("training", JSON.valueToTree(result.training().toMap()));
        if (result.validation() != null) {
            metrics.set("validation", JSON.valueToTree(result.validation().toMap()));
        }
        ArrayNode history = root.putArray("history");
        for (EpochStats e : result.history()) {
            ObjectNode row = history.addObject().put("epoch", e.epoch()).put("loss", e.loss());
            if (!Double.isNaN(e.accuracy())) {
                row.put("accuracy", e.accuracy());
            }
            if (e.validation() != null) {
                row.set("validation", JSON.valueToTree(e.validation().summary()));
            }
            row.put("learningRate", e.learningRate());
            row.put("gradientNorm", e.gradientNorm());
            row.put("steps", e.steps());
            row.put("seconds", e.seconds());
        }
        return root;
    }

    /** The outcome of the run for schedulers and dashboards: small, flat where it can be. */
    private static ObjectNode metrics(TrainingResult result, String source) {
        ObjectNode root = JSON.createObjectNode();
        root.put("createdAt", Instant.now().toString());
        root.put("data", source);
        root.put("rows", result.rows());
        root.put("epochs", result.config().epochs());
        root.put("epochsRun", result.history().size());
        root.put("keptEpoch", result.keptEpoch());
        root.put("seconds", result.seconds());
        root.set("training", JSON.valueToTree(result.training().toMap()));
        if (result.validation() != null) {
            root.set("validation", JSON.valueToTree(result.validation().toMap()));
        }
        return root;
    }

    private static void writeWeights(double[] params, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
        DataOutputStream data = new DataOutputStream(out);
        for (int i = 0; i < params.length; i++) {
            buffer.putDouble(params[i]);
            if (!buffer.hasRemaining()) {
                data.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
        data.write(buffer.array(), 0, buffer.position());
        data.flush();
    }

    private static double[] readWeights(InputStream in, int count) throws IOException {
        byte[] bytes = new byte[8 * count];
        try {
            new DataInputStream(in).readFully(bytes);
        } catch (EOFException e) {
            throw new ModelStoreException("weights file ended early");
        }
        double[] params = new double[count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(params);
        return params;
    }
}
