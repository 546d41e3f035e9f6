package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Layer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Standardization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code metadata.json}, written and verified. Every field the format declares is checked against
 * the format and against the others: format and version, input size, layer sizes, activation
 * and loss names (exactly as written, not the command line's aliases), parameter count, the
 * weights file's name, dtype, byte order, layout (offsets, shapes, lengths) and checksum, the
 * standardisation, and a classifier's class labels when it has them. The fields that only describe
 * the run ({@code training}, {@code metrics}, {@code history}, {@code environment},
 * {@code predictions}, {@code createdAt}) are not verified here; {@link SavedRun} reads them for
 * reports.
 *
 * @param version the format version read: {@value ModelStore#FORMAT_VERSION}, or 1 (no checksum)
 * @param sha256 the recorded SHA-256 of the weights file (absent in version 1)
 */
record ModelMetadata(int version, Network network, Optional<Standardization> standardization,
                     Optional<String> sha256, Optional<List<String>> labels) {
    static final String DTYPE = "float64";
    static final String BYTE_ORDER = "little-endian";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** The metadata of {@code model} whose weights file has this SHA-256. */
    static ObjectNode write(ObjectMapper json, Model model, String sha256, TrainingRecord record) {
        Network network = model.network();
        ObjectNode root = json.createObjectNode();
        root.put("format", ModelStore.FORMAT);
        root.put("formatVersion", ModelStore.FORMAT_VERSION);
        root.put("createdAt", Instant.now().toString());
        root.put("inputSize", network.inputSize());
        ArrayNode layers = root.putArray("layers");
        for (Layer layer : network.layers()) {
            layers.addObject().put("units", layer.units()).put("activation", layer.activation().id());
        }
        root.put("loss", network.loss().id());
        root.put("parameterCount", network.parameterCount());
        model.standardization().ifPresent(st -> {
            ObjectNode node = root.putObject("standardization");
            node.put("description", "inputs are (x - mean) / scale before the first layer");
            ArrayNode mean = node.putArray("mean");
            ArrayNode scale = node.putArray("scale");
            for (int j = 0; j < st.features(); j++) {
                mean.add(st.mean()[j]);
                scale.add(st.scale()[j]);
            }
        });
        model.labels().ifPresent(labels -> labels.forEach(root.putArray("labels")::add));

        ObjectNode weights = root.putObject("weights");
        weights.put("file", ModelStore.WEIGHTS);
        weights.put("dtype", DTYPE);
        weights.put("byteOrder", BYTE_ORDER);
        weights.put("sha256", sha256);
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
        root.set("training", json.valueToTree(record.training()));
        root.set("metrics", json.valueToTree(record.metrics()));
        ArrayNode history = root.putArray("history");
        record.history().forEach(epoch -> history.add(epoch.toJson()));
        record.environment().ifPresent(environment -> root.set("environment", environment.toJson()));
        record.predictions().ifPresent(p -> root.putObject("predictions").put("file", ModelStore.PREDICTIONS)
                .put("data", p.data()).put("rows", p.sample().rows()).put("outputs", p.sample().outputs()));
        return root;
    }

    /**
     * Reads and checks {@code meta}.
     *
     * @param where the file, for messages
     * @throws ModelStoreException naming the field, what it holds and what was expected
     */
    static ModelMetadata read(JsonNode meta, String where) {
        if (!meta.isObject()) {
            throw new ModelStoreException(where + " is not a JSON object");
        }
        Fields f = new Fields(where);
        String format = f.text(meta, null, "format");
        if (!format.equals(ModelStore.FORMAT)) {
            throw f.error("format", "\"" + format + "\"", "\"" + ModelStore.FORMAT + "\"");
        }
        long version = f.integer(meta, null, "formatVersion");
        if (version != 1 && version != ModelStore.FORMAT_VERSION) {
            throw new ModelStoreException(where + ": formatVersion " + version + " is not supported (this sparkprop "
                    + "reads versions 1 and " + ModelStore.FORMAT_VERSION + ")");
        }
        int inputSize = f.positive(meta, null, "inputSize");
        JsonNode layerNodes = meta.get("layers");
        if (layerNodes == null || !layerNodes.isArray() || layerNodes.isEmpty()) {
            throw f.error("layers", describe(layerNodes), "a non-empty array of {units, activation}");
        }
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < layerNodes.size(); l++) {
            String name = "layers[" + l + "]";
            layers.add(new Layer(f.positive(layerNodes.get(l), name, "units"),
                    f.named(layerNodes.get(l), name, "activation", Activation.values(), Activation::id)));
        }
        Loss loss = f.named(meta, null, "loss", Loss.values(), Loss::id);
        Network network;
        try {
            network = new Network(inputSize, layers, loss);
        } catch (IllegalArgumentException e) {
            throw new ModelStoreException(where + ": " + e.getMessage());
        }
        long parameters = f.integer(meta, null, "parameterCount");
        if (parameters != network.parameterCount()) {
            throw f.error("parameterCount", Long.toString(parameters), network.parameterCount() + ", what the "
                    + "layers " + network + " hold");
        }
        Optional<String> sha256 = weights(meta, f, network, (int) version);
        return new ModelMetadata((int) version, network, standardization(meta, f, inputSize), sha256,
                labels(meta, f, network));
    }

    /** A classifier's class labels: distinct strings, one per class. */
    private static Optional<List<String>> labels(JsonNode meta, Fields f, Network network) {
        JsonNode node = meta.get("labels");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        int classes = network.classes();
        String expected = "an array of " + classes + " distinct strings, one per class";
        if (!network.isClassifier() || !node.isArray() || node.size() != classes) {
            throw f.error("labels", describe(node), network.isClassifier() ? expected : "nothing (a regression model "
                    + "has no classes)");
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode label : node) {
            if (!label.isTextual() || labels.contains(label.asText())) {
                throw f.error("labels", describe(node), expected);
            }
            labels.add(label.asText());
        }
        return Optional.of(labels);
    }

    /** Checks the {@code weights} section against the network; returns its checksum. */
    private static Optional<String> weights(JsonNode meta, Fields f, Network network, int version) {
        JsonNode weights = f.object(meta, null, "weights");
        f.exactly(weights, "weights", "file", ModelStore.WEIGHTS);
        f.exactly(weights, "weights", "dtype", DTYPE);
        f.exactly(weights, "weights", "byteOrder", BYTE_ORDER);
        Optional<String> sha256 = Optional.empty();
        if (version >= 2 || weights.has("sha256")) {
            String sum = f.text(weights, "weights", "sha256");
            if (!SHA256.matcher(sum).matches()) {
                throw f.error("weights.sha256", "\"" + sum + "\"", "64 lower-case hexadecimal digits");
            }
            sha256 = Optional.of(sum);
        }
        JsonNode layout = weights.get("layout");
        if (layout == null || !layout.isArray() || layout.size() != network.depth()) {
            throw f.error("weights.layout", describe(layout), "an array of " + network.depth() + " entries, one per "
                    + "layer");
        }
        for (int l = 0; l < network.depth(); l++) {
            String name = "weights.layout[" + l + "]";
            JsonNode entry = layout.get(l);
            f.expect(entry, name, "layer", l + 1);
            JsonNode weight = f.object(entry, name, "weight");
            f.expect(weight, name + ".weight", "offset", network.weightOffset(l));
            JsonNode shape = weight.get("shape");
            boolean matches = shape != null && shape.isArray() && shape.size() == 2
                    && shape.get(0).isIntegralNumber() && shape.get(0).asLong() == network.units(l)
                    && shape.get(1).isIntegralNumber() && shape.get(1).asLong() == network.fanIn(l);
            if (!matches) {
                throw f.error(name + ".weight.shape", describe(shape), "[" + network.units(l) + ", "
                        + network.fanIn(l) + "] ([units][fanIn] of layer " + (l + 1) + ")");
            }
            JsonNode bias = f.object(entry, name, "bias");
            f.expect(bias, name + ".bias", "offset", network.biasOffset(l));
            f.expect(bias, name + ".bias", "length", network.units(l));
        }
        return sha256;
    }

    private static Optional<Standardization> standardization(JsonNode meta, Fields f, int inputSize) {
        JsonNode node = meta.get("standardization");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        f.object(meta, null, "standardization");
        double[] mean = f.finiteNumbers(node, "standardization", "mean", inputSize);
        double[] scale = f.finiteNumbers(node, "standardization", "scale", inputSize);
        try {
            return Optional.of(new Standardization(mean, scale));
        } catch (IllegalArgumentException e) {
            throw new ModelStoreException(f.where() + ": standardization: " + e.getMessage());
        }
    }

    /** A JSON value in a message: its text, shortened. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    /**
     * Field checks that build their one-line message only on failure. A field is named by its
     * parent's name ({@code null} at the top) and its key: {@code weights.layout[0].bias.offset}.
     */
    private record Fields(String where) {
        ModelStoreException error(String field, String found, String expected) {
            return JsonFields.error(where, field, found, expected);
        }

        private static String name(String parent, String field) {
            return parent == null ? field : parent + "." + field;
        }

        /** {@code node} as an object, which every field's parent must be. */
        private JsonNode object(JsonNode node, String name) {
            if (node == null || !node.isObject()) {
                throw error(name, describe(node), "an object");
            }
            return node;
        }

        JsonNode object(JsonNode parent, String parentName, String field) {
            return object(parent.get(field), name(parentName, field));
        }

        String text(JsonNode parent, String parentName, String field) {
            JsonNode value = parent.get(field);
            if (value == null || !value.isTextual()) {
                throw error(name(parentName, field), describe(value), "a string");
            }
            return value.asText();
        }

        void exactly(JsonNode parent, String parentName, String field, String expected) {
            String value = text(parent, parentName, field);
            if (!value.equals(expected)) {
                throw error(name(parentName, field), "\"" + value + "\"", "\"" + expected + "\"");
            }
        }

        long integer(JsonNode parent, String parentName, String field) {
            JsonNode value = parent.get(field);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
                throw error(name(parentName, field), describe(value), "an integer");
            }
            return value.asLong();
        }

        int positive(JsonNode parent, String parentName, String field) {
            long value = integer(object(parent, parentName), parentName, field);
            if (value < 1 || value > Integer.MAX_VALUE) {
                throw error(name(parentName, field), Long.toString(value), "a positive integer");
            }
            return (int) value;
        }

        void expect(JsonNode parent, String parentName, String field, long expected) {
            long value = integer(object(parent, parentName), parentName, field);
            if (value != expected) {
                throw error(name(parentName, field), Long.toString(value), Long.toString(expected));
            }
        }

        /** The value of {@code values} whose {@code id} the field holds, exactly. */
        <E> E named(JsonNode parent, String parentName, String field, E[] values, Function<E, String> id) {
            JsonNode value = object(parent, parentName).get(field);
            for (E e : values) {
                if (value != null && value.isTextual() && id.apply(e).equals(value.asText())) {
                    return e;
                }
            }
            throw error(name(parentName, field), describe(value), "one of "
                    + Arrays.stream(values).map(id).collect(Collectors.joining(", ")));
        }

        double[] finiteNumbers(JsonNode parent, String parentName, String field, int length) {
            JsonNode array = parent.get(field);
            String name = name(parentName, field);
            if (array == null || !array.isArray() || array.size() != length) {
                throw error(name, describe(array), "an array of " + length + " numbers (inputSize)");
            }
            double[] values = new double[length];
            for (int i = 0; i < length; i++) {
                if (!array.get(i).isNumber() || !Double.isFinite(array.get(i).asDouble())) {
                    throw error(name + "[" + i + "]", describe(array.get(i)), "a finite number");
                }
                values[i] = array.get(i).asDouble();
            }
            return values;
        }
    }
}
