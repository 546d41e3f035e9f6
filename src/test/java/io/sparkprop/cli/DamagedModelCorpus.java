package io.sparkprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Standardization;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.TrainingRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes the damaged-model corpus of {@code src/test/resources/bad-input/models} (committed; run
 * again only to change it): a good model ({@code good}) and one damaged copy of it per
 * {@link #CASES case}, in a directory named after the case. Run from the project directory after
 * {@code mvn -o test-compile}:
 * <pre>
 * rm -rf src/test/resources/bad-input/models
 * java $(cat target/jvm-options.txt) -cp target/test-classes:target/classes:$(cat target/spark-classpath.txt) \
 *     io.sparkprop.cli.DamagedModelCorpus src/test/resources/bad-input/models
 * </pre>
 */
public final class DamagedModelCorpus {
    /** 4 inputs, relu(5), softmax(3): layer 1 is weights 0..19 and biases 20..24, layer 2 weights 25..39 and biases 40..42. */
    static final Network NETWORK = Network.parse("relu(5)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DamagedModelCorpus() {
    }

    /** What is done to a copy of the good model. */
    @FunctionalInterface
    interface Damage {
        void apply(Path model) throws IOException;
    }

    /**
     * One damaged model: its name, the file the loader must name and what its message must say.
     */
    record Case(String name, String file, String message, Damage damage) {
    }

    static final List<Case> CASES = List.of(
            new Case("a flipped bit", "weights.bin", "weights.bin has SHA-256 ", m -> flipBit(m, 17 * 8 + 3)),
            new Case("truncated weights", "weights.bin", "weights.bin has 336 bytes; the network 4 -> relu(5)|softmax(3) "
                        + "with categorical-cross-entropy needs 344 (43 float64 values)", m -> resize(m, -8)),
            new Case("extra bytes", "weights.bin", "has 352 bytes", m -> resize(m, 8)),
            new Case("a NaN weight", "weights.bin", "weights.bin: the layer 1 weight [1][3] (value 7) is NaN; a "
                        + "model's weights must be finite", m -> setWeight(m, 7, Double.NaN)),
            new Case("an infinite bias", "weights.bin", "the layer 2 bias [1] (value 41) is Infinity",
                    m -> setWeight(m, 41, Double.POSITIVE_INFINITY)),
            new Case("another dtype", "metadata.json", "'weights.dtype' is \"float32\"; expected \"float64\"",
                    m -> edit(m, meta -> weights(meta).put("dtype", "float32"))),
            new Case("another byte order", "metadata.json", "'weights.byteOrder' is \"big-endian\"; expected "
                        + "\"little-endian\"", m -> edit(m, meta -> weights(meta).put("byteOrder", "big-endian"))),
            new Case("another weights file", "metadata.json", "'weights.file' is \"w.bin\"; expected \"weights.bin\"",
                    m -> edit(m, meta -> weights(meta).put("file", "w.bin"))),
            new Case("a wrong weight offset", "metadata.json", "'weights.layout[1].weight.offset' is 24; expected 25",
                    m -> edit(m, meta -> layout(meta, 1).with("weight").put("offset", 24))),
            new Case("a wrong bias length", "metadata.json", "'weights.layout[0].bias.length' is 4; expected 5",
                    m -> edit(m, meta -> layout(meta, 0).with("bias").put("length", 4))),
            new Case("a transposed shape", "metadata.json", "'weights.layout[0].weight.shape' is [4,5]; expected "
                        + "[5, 4] ([units][fanIn] of layer 1)",
                    m -> edit(m, meta -> layout(meta, 0).with("weight").putArray("shape").add(4).add(5))),
            new Case("a wrong parameter count", "metadata.json", "'parameterCount' is 42; expected 43",
                    m -> edit(m, meta -> meta.put("parameterCount", 42))),
            new Case("a wrong layer size", "metadata.json", "'parameterCount' is 43; expected 51",
                    m -> edit(m, meta -> ((ObjectNode) meta.withArray("layers").get(0)).put("units", 6))),
            new Case("a missing loss", "metadata.json", "'loss' is missing; expected one of squared-error, "
                        + "binary-cross-entropy, categorical-cross-entropy", m -> edit(m, meta -> meta.remove("loss"))),
            new Case("a loss alias", "metadata.json", "'loss' is \"ce\"; expected one of",
                    m -> edit(m, meta -> meta.put("loss", "ce"))),
            new Case("a loss the output cannot have", "metadata.json", "loss binary-cross-entropy needs a sigmoid "
                        + "output layer", m -> edit(m, meta -> meta.put("loss", "binary-cross-entropy"))),
            new Case("an activation in capitals", "metadata.json", "'layers[0].activation' is \"ReLU\"; expected one "
                        + "of sigmoid, tanh, relu, identity, softmax",
                    m -> edit(m, meta -> ((ObjectNode) meta.withArray("layers").get(0)).put("activation", "ReLU"))),
            new Case("a missing input size", "metadata.json", "'inputSize' is missing; expected an integer",
                    m -> edit(m, meta -> meta.remove("inputSize"))),
            new Case("a missing checksum", "metadata.json", "'weights.sha256' is missing; expected a string",
                    m -> edit(m, meta -> weights(meta).remove("sha256"))),
            new Case("a malformed checksum", "metadata.json", "'weights.sha256' is \"abc\"; expected 64 lower-case "
                        + "hexadecimal digits", m -> edit(m, meta -> weights(meta).put("sha256", "abc"))),
            new Case("another format", "metadata.json", "'format' is \"other\"; expected \"sparkprop-mlp\"",
                    m -> edit(m, meta -> meta.put("format", "other"))),
            new Case("a future version", "metadata.json", "formatVersion 3 is not supported (this sparkprop reads "
                        + "versions 1 and 2)", m -> edit(m, meta -> meta.put("formatVersion", 3))),
            new Case("a zero scale", "metadata.json", "standardization: standardisation of feature 2 has mean 2.0 "
                        + "and scale 0.0", m -> edit(m, meta -> ((ArrayNode) meta.with("standardization")
                                .withArray("scale")).set(2, 0.0))),
            new Case("a short mean", "metadata.json", "'standardization.mean' is [0.0,1.0,2.0]; expected an array "
                        + "of 4 numbers", m -> edit(m, meta -> ((ArrayNode) meta.with("standardization")
                                .withArray("mean")).remove(3))),
            new Case("repeated labels", "metadata.json", "'labels' is [\"cat\",\"cat\",\"dog\"]; expected an array "
                        + "of 3 distinct strings, one per class",
                    m -> edit(m, meta -> meta.putArray("labels").add("cat").add("cat").add("dog"))),
            new Case("too few labels", "metadata.json", "'labels' is [\"cat\",\"dog\"]; expected an array of 3 "
                        + "distinct strings, one per class", m -> edit(m, meta -> meta.putArray("labels").add("cat")
                                .add("dog"))),
            new Case("bad JSON", "metadata.json", "metadata.json is not valid JSON",
                    m -> Files.writeString(m.resolve("metadata.json"), "{ \"format\": ")),
            new Case("an empty metadata file", "metadata.json", "metadata.json is empty",
                    m -> Files.writeString(m.resolve("metadata.json"), "")),
            new Case("no metadata", "metadata.json", "metadata.json is missing: ",
                    m -> Files.delete(m.resolve("metadata.json"))),
            new Case("no weights", "weights.bin", "weights.bin is missing", m -> Files.delete(m.resolve("weights.bin"))));

    public static void main(String[] args) throws IOException {
        Path root = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "src/test/resources/bad-input/models"));
        Path good = root.resolve("good");
        Model model = new Model(NETWORK, Initializer.initialize(NETWORK, 5),
                new Standardization(new double[] {0, 1, 2, 3}, new double[] {1, 2, 3, 4}));
        new ModelStore(new Configuration()).save(model, new TrainingRecord(Map.of("data", "test"), Map.of(), List.of()),
                good.toString(), false);
        for (Case c : CASES) {
            Path damaged = root.resolve(slug(c.name()));
            copy(good, damaged);
            c.damage().apply(damaged);
        }
    }

    static String slug(String name) {
        return name.replace(' ', '-');
    }

    /** Copies a model directory's files (those a damage left). */
    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : List.of("metadata.json", "weights.bin", "metrics.json")) {
            if (Files.exists(from.resolve(name))) {
                Files.copy(from.resolve(name), to.resolve(name));
            }
        }
    }

    static void flipBit(Path model, int bit) throws IOException {
        Path weights = model.resolve("weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        Files.write(weights, bytes);
    }

    private static void resize(Path model, int delta) throws IOException {
        Path weights = model.resolve("weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length + delta));
    }

    /** Sets one weight and records the new checksum, as a writer of non-finite weights would. */
    private static void setWeight(Path model, int index, double value) throws IOException {
        Path weights = model.resolve("weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(8 * index, value);
        Files.write(weights, bytes);
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            edit(model, meta -> weights(meta).put("sha256", sha));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void edit(Path model, Consumer<ObjectNode> change) throws IOException {
        Path metadata = model.resolve("metadata.json");
        ObjectNode meta = (ObjectNode) JSON.readTree(metadata.toFile());
        change.accept(meta);
        JSON.writeValue(metadata.toFile(), meta);
    }

    private static ObjectNode weights(ObjectNode meta) {
        return (ObjectNode) meta.get("weights");
    }

    private static ObjectNode layout(ObjectNode meta, int layer) {
        return (ObjectNode) weights(meta).get("layout").get(layer);
    }
}
