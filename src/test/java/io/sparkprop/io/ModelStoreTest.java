package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Standardization;
import io.sparkprop.engine.TestData;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.spark.EpochStats;
import io.sparkprop.spark.TrainingConfig;
import io.sparkprop.spark.TrainingResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    private static final Network NETWORK = Network.parse("relu(5)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);

    @TempDir
    Path dir;

    private final ModelStore store = new ModelStore(new Configuration());

    private TrainingResult result() {
        return result(new Model(NETWORK, Initializer.initialize(NETWORK, 1)));
    }

    static TrainingResult result(Model model) {
        Metrics metrics = new Backprop(model.network()).evaluate(model.parameters(),
                List.of(TestData.block(model.network(), 10, 3)).iterator());
        return new TrainingResult(model, TrainingConfig.of(1, 0.1), 10,
                List.of(new EpochStats(1, 1.1, 0.3, metrics, 0.1, 2.5, 1, 0.01, 1000, 0.001, 0.001)), metrics, metrics, 1,
                0.02);
    }

    private void save(TrainingResult result, String source, String path, boolean overwrite) {
        store.save(result.model(), result.record(source), path, overwrite);
    }

    @Test
    void keepsTheStandardisationWithTheModel() {
        String path = dir.resolve("m").toString();
        Standardization standardization = new Standardization(new double[] {1, -2, 0.1, 3e-7},
                new double[] {2, 0.5, 1, 1.0 / 3});
        save(result(new Model(NETWORK, Initializer.initialize(NETWORK, 1), standardization)), "x", path, false);
        Standardization loaded = store.load(path).standardization().orElseThrow();
        assertArrayEquals(standardization.mean(), loaded.mean());
        assertArrayEquals(standardization.scale(), loaded.scale());
        assertFalse(store.load(saveWithoutStandardization()).standardization().isPresent());
    }

    @Test
    void keepsAClassifiersLabelsWithTheModel() {
        String path = dir.resolve("named").toString();
        List<String> labels = java.util.stream.IntStream.range(0, NETWORK.classes()).mapToObj(k -> "class " + k)
                .toList();
        save(result(new Model(NETWORK, Initializer.initialize(NETWORK, 1)).withLabels(labels)), "x", path, false);
        assertEquals(labels, store.load(path).labels().orElseThrow());
        assertFalse(store.load(saveWithoutStandardization()).labels().isPresent());
        Model regression = new Model(Network.parse("relu(2)|identity(1)", 3), new double[11]);
        assertThrows(IllegalArgumentException.class, () -> regression.withLabels(List.of("a")));
    }

    private String saveWithoutStandardization() {
        String path = dir.resolve("plain").toString();
        save(result(), "x", path, false);
        return path;
    }

    @Test
    void roundTripsEveryBitAndWritesNothingElse() throws IOException {
        String path = dir.resolve("m").toString();
        TrainingResult result = result();
        save(result, "test data", path, false);
        assertArrayEquals(result.model().parameters(), store.load(path).parameters());
        assertEquals(NETWORK, store.load(path).network());
        try (var files = Files.list(dir.resolve("m"))) {
            assertEquals(List.of("metadata.json", "metrics.json", "metrics.jsonl", "weights.bin"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (var siblings = Files.list(dir)) {
            assertEquals(1, siblings.count(), "no temporary directory left behind");
        }
    }

    @Test
    void weightsAreLittleEndianFloat64InTheDocumentedLayout() throws IOException {
        String path = dir.resolve("m").toString();
        TrainingResult result = result();
        save(result, "test data", path, false);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("m/weights.bin"))).order(ByteOrder.LITTLE_ENDIAN);
        double[] params = result.model().parameters();
        // Layer 1 weight of unit j from input i sits at j * fanIn + i.
        int j = 3;
        int i = 2;
        assertEquals(params[NETWORK.weightOffset(0) + j * 4 + i], bytes.getDouble(8 * (j * 4 + i)));
        String json = Files.readString(dir.resolve("m/metadata.json"));
        assertTrue(json.contains("\"byteOrder\" : \"little-endian\""), json);
        assertTrue(json.contains("\"shape\" : [ 5, 4 ]"), json);
    }

    @Test
    void aReRunRemovesWhatAKilledRunLeftBehind() throws IOException {
        Path leftover = dir.resolve(".m.tmp-1234");
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve("weights.bin"), "half");
        save(result(), "test data", dir.resolve("m").toString(), false);
        assertFalse(Files.exists(leftover));
        String metrics = Files.readString(dir.resolve("m/metrics.json"));
        assertTrue(metrics.contains("\"keptEpoch\" : 1") && metrics.contains("\"training\" : {"), metrics);
    }

    @Test
    void refusesToReplaceAModelUnlessAsked() {
        String path = dir.resolve("m").toString();
        save(result(), "test data", path, false);
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> save(result(), "x", path, false));
        assertTrue(e.getMessage().contains("already exists"));
        save(result(), "again", path, true);
    }

    @Test
    void rejectsDamagedModels() throws IOException {
        String path = dir.resolve("m").toString();
        save(result(), "test data", path, false);
        Path weights = dir.resolve("m/weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 8));
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.load(path));
        assertTrue(e.getMessage().contains("has 336 bytes; the network"), e.getMessage());

        Path metadata = dir.resolve("m/metadata.json");
        String json = Files.readString(metadata);
        Files.writeString(metadata, json.replace("\"relu\"", "\"swish\""));
        e = assertThrows(ModelStoreException.class, () -> store.load(path));
        assertTrue(e.getMessage().contains("'layers[0].activation' is \"swish\"; expected one of sigmoid, tanh, relu,"),
                e.getMessage());

        Files.writeString(metadata, "{ not json");
        e = assertThrows(ModelStoreException.class, () -> store.load(path));
        assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());

        assertFalse(Files.exists(dir.resolve("none/metadata.json")));
        e = assertThrows(ModelStoreException.class, () -> store.load(dir.resolve("none").toString()));
        assertTrue(e.getMessage().contains("metadata.json is missing"), e.getMessage());
    }

    @Test
    void recordsTheWeightsChecksumAndRefusesAFlippedBit() throws Exception {
        String path = dir.resolve("m").toString();
        save(result(), "test data", path, false);
        byte[] bytes = Files.readAllBytes(dir.resolve("m/weights.bin"));
        String json = Files.readString(dir.resolve("m/metadata.json"));
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        assertTrue(json.contains("\"sha256\" : \"" + sha + "\""), json);
        assertTrue(json.contains("\"formatVersion\" : 2"), json);

        bytes[100] ^= 0x10;
        Files.write(dir.resolve("m/weights.bin"), bytes);
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.load(path));
        assertTrue(e.getMessage().contains("m/weights.bin has SHA-256 ") && e.getMessage().contains(" but metadata.json "
                + "records " + sha + ": the weights are damaged"), e.getMessage());
    }

    @Test
    void readsAVersionOneModelWithoutChecksumButNotAVersionTwoOne() throws IOException {
        String path = dir.resolve("m").toString();
        TrainingResult result = result();
        save(result, "test data", path, false);
        Path metadata = dir.resolve("m/metadata.json");
        String withoutChecksum = Files.readString(metadata).replaceAll("\"sha256\" : \"[0-9a-f]+\",", "");
        Files.writeString(metadata, withoutChecksum);
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.load(path));
        assertTrue(e.getMessage().contains("'weights.sha256' is missing; expected a string"), e.getMessage());

        Files.writeString(metadata, withoutChecksum.replace("\"formatVersion\" : 2", "\"formatVersion\" : 1"));
        assertArrayEquals(result.model().parameters(), store.load(path).parameters());
    }

    @Test
    void neverWritesAModelWithNonFiniteWeights() throws IOException {
        double[] params = Initializer.initialize(NETWORK, 1);
        params[NETWORK.biasOffset(1) + 2] = Double.POSITIVE_INFINITY;
        ModelStoreException e = assertThrows(ModelStoreException.class,
                () -> save(result(new Model(NETWORK, params.clone())), "x", dir.resolve("m").toString(), false));
        assertTrue(e.getMessage().contains("its layer 2 bias [2] is Infinity"), e.getMessage());
        try (var siblings = Files.list(dir)) {
            assertEquals(0, siblings.count(), "nothing written");
        }
    }
}
