package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of damaged model directories, each built from a good model and each refused through
 * the command line with exit code 4 and one line naming the file and field, without a stack trace.
 */
class DamagedModelTest {
    /** 4 inputs, relu(5), softmax(3): layer 1 is weights 0..19 and biases 20..24, layer 2 weights 25..39 and biases 40..42. */
    private static final Network NETWORK = Network.parse("relu(5)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    static Path dir;
    private static Path good;
    private static Path csv;

    @BeforeAll
    static void saveAGoodModel() throws IOException {
        LocalSpark.session();
        good = dir.resolve("good");
        Model model = new Model(NETWORK, Initializer.initialize(NETWORK, 5),
                new Standardization(new double[] {0, 1, 2, 3}, new double[] {1, 2, 3, 4}));
        new ModelStore(new Configuration()).save(model, new TrainingRecord(Map.of("data", "test"), Map.of(), List.of()),
                good.toString(), false);
        List<String> lines = new ArrayList<>(List.of("label,a,b,c,d"));
        for (int i = 0; i < 20; i++) {
            lines.add((i % 3) + "," + i + ",1,2," + (20 - i));
        }
        csv = Files.write(dir.resolve("data.csv"), lines);
    }

    /** What is done to a copy of the good model. */
    @FunctionalInterface
    interface Damage {
        void apply(Path model) throws IOException;
    }

    static Stream<Arguments> damagedModels() {
        return Stream.of(
                damaged("a flipped bit", "weights.bin", "weights.bin has SHA-256 ", m -> flipBit(m, 17 * 8 + 3)),
                damaged("truncated weights", "weights.bin", "weights.bin has 336 bytes; the network 4 -> relu(5)|softmax(3) "
                        + "with categorical-cross-entropy needs 344 (43 float64 values)", m -> resize(m, -8)),
                damaged("extra bytes", "weights.bin", "has 352 bytes", m -> resize(m, 8)),
                damaged("a NaN weight", "weights.bin", "weights.bin: the layer 1 weight [1][3] (value 7) is NaN; a "
                        + "model's weights must be finite", m -> setWeight(m, 7, Double.NaN)),
                damaged("an infinite bias", "weights.bin", "the layer 2 bias [1] (value 41) is Infinity",
                        m -> setWeight(m, 41, Double.POSITIVE_INFINITY)),
                damaged("another dtype", "metadata.json", "'weights.dtype' is \"float32\"; expected \"float64\"",
                        m -> edit(m, meta -> weights(meta).put("dtype", "float32"))),
                damaged("another byte order", "metadata.json", "'weights.byteOrder' is \"big-endian\"; expected "
                        + "\"little-endian\"", m -> edit(m, meta -> weights(meta).put("byteOrder", "big-endian"))),
                damaged("another weights file", "metadata.json", "'weights.file' is \"w.bin\"; expected \"weights.bin\"",
                        m -> edit(m, meta -> weights(meta).put("file", "w.bin"))),
                damaged("a wrong weight offset", "metadata.json", "'weights.layout[1].weight.offset' is 24; expected 25",
                        m -> edit(m, meta -> layout(meta, 1).with("weight").put("offset", 24))),
                damaged("a wrong bias length", "metadata.json", "'weights.layout[0].bias.length' is 4; expected 5",
                        m -> edit(m, meta -> layout(meta, 0).with("bias").put("length", 4))),
                damaged("a transposed shape", "metadata.json", "'weights.layout[0].weight.shape' is [4,5]; expected "
                        + "[5, 4] ([units][fanIn] of layer 1)",
                        m -> edit(m, meta -> layout(meta, 0).with("weight").putArray("shape").add(4).add(5))),
                damaged("a wrong parameter count", "metadata.json", "'parameterCount' is 42; expected 43",
                        m -> edit(m, meta -> meta.put("parameterCount", 42))),
                damaged("a wrong layer size", "metadata.json", "'parameterCount' is 43; expected 51",
                        m -> edit(m, meta -> ((ObjectNode) meta.withArray("layers").get(0)).put("units", 6))),
                damaged("a missing loss", "metadata.json", "'loss' is missing; expected one of squared-error, "
                        + "binary-cross-entropy, categorical-cross-entropy", m -> edit(m, meta -> meta.remove("loss"))),
                damaged("a loss alias", "metadata.json", "'loss' is \"ce\"; expected one of",
                        m -> edit(m, meta -> meta.put("loss", "ce"))),
                damaged("a loss the output cannot have", "metadata.json", "loss binary-cross-entropy needs a sigmoid "
                        + "output layer", m -> edit(m, meta -> meta.put("loss", "binary-cross-entropy"))),
                damaged("an activation in capitals", "metadata.json", "'layers[0].activation' is \"ReLU\"; expected one "
                        + "of sigmoid, tanh, relu, identity, softmax",
                        m -> edit(m, meta -> ((ObjectNode) meta.withArray("layers").get(0)).put("activation", "ReLU"))),
                damaged("a missing input size", "metadata.json", "'inputSize' is missing; expected an integer",
                        m -> edit(m, meta -> meta.remove("inputSize"))),
                damaged("a missing checksum", "metadata.json", "'weights.sha256' is missing; expected a string",
                        m -> edit(m, meta -> weights(meta).remove("sha256"))),
                damaged("a malformed checksum", "metadata.json", "'weights.sha256' is \"abc\"; expected 64 lower-case "
                        + "hexadecimal digits", m -> edit(m, meta -> weights(meta).put("sha256", "abc"))),
                damaged("another format", "metadata.json", "'format' is \"other\"; expected \"sparkprop-mlp\"",
                        m -> edit(m, meta -> meta.put("format", "other"))),
                damaged("a future version", "metadata.json", "formatVersion 3 is not supported (this sparkprop reads "
                        + "versions 1 and 2)", m -> edit(m, meta -> meta.put("formatVersion", 3))),
                damaged("a zero scale", "metadata.json", "standardization: standardisation of feature 2 has mean 2.0 "
                        + "and scale 0.0", m -> edit(m, meta -> ((ArrayNode) meta.with("standardization")
                                .withArray("scale")).set(2, 0.0))),
                damaged("a short mean", "metadata.json", "'standardization.mean' is [0.0,1.0,2.0]; expected an array "
                        + "of 4 numbers", m -> edit(m, meta -> ((ArrayNode) meta.with("standardization")
                                .withArray("mean")).remove(3))),
                damaged("bad JSON", "metadata.json", "metadata.json is not valid JSON",
                        m -> Files.writeString(m.resolve("metadata.json"), "{ \"format\": ")),
                damaged("an empty metadata file", "metadata.json", "metadata.json is empty",
                        m -> Files.writeString(m.resolve("metadata.json"), "")),
                damaged("no metadata", "metadata.json", "metadata.json is missing: ",
                        m -> Files.delete(m.resolve("metadata.json"))),
                damaged("no weights", "weights.bin", "weights.bin is missing", m -> Files.delete(m.resolve("weights.bin"))));
    }

    private static Arguments damaged(String name, String file, String message, Damage damage) {
        return Arguments.of(name, file, message, damage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedModels")
    void isRefusedWithOneLineNamingTheFileAndField(String name, String file, String message, Damage damage)
            throws IOException {
        Path model = dir.resolve(name.replace(' ', '-'));
        copy(good, model);
        damage.apply(model);
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--input", csv.toString());
        assertEquals(ExitCodes.IO, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(model + "/" + file), "names " + file + ": " + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void theGoodModelIsAccepted() {
        CliRun run = CliRun.of("evaluate", "--model", good.toString(), "--input", csv.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
    }

    @Test
    void predictAndTrainRefuseADamagedModelAlike() throws IOException {
        Path model = dir.resolve("flipped-for-predict");
        copy(good, model);
        flipBit(model, 100);
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--output",
                dir.resolve("never").toString());
        assertEquals(ExitCodes.IO, predict.exitCode(), predict.err());
        assertTrue(predict.err().contains(model + "/weights.bin has SHA-256"), predict.err());
        assertFalse(Files.exists(dir.resolve("never")));
        CliRun train = CliRun.of("train", "--input", csv.toString(), "--init-model", model.toString(), "--epochs", "1");
        assertEquals(ExitCodes.IO, train.exitCode(), train.err());
        assertTrue(train.err().contains(model + "/weights.bin has SHA-256"), train.err());
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : List.of("metadata.json", "weights.bin", "metrics.json")) {
            Files.copy(from.resolve(name), to.resolve(name));
        }
    }

    private static void flipBit(Path model, int bit) throws IOException {
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
