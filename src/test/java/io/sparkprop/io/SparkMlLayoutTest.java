package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model directories inside Spark ML's save layout ({@code metadata/} and {@code data/}) on a real
 * local disk: read like plain ones, written and replaced whole, other directories refused.
 */
class SparkMlLayoutTest {
    private static final Network NETWORK = Network.parse("relu(5)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final TrainingRecord RECORD = new TrainingRecord(Map.of("data", "test"), Map.of(), List.of());
    /** What Spark's DefaultParamsWriter writes, in short; sparkprop never writes it itself. */
    private static final String SPARK_METADATA = "{\"class\":\"io.sparkprop.ml.MLPClassificationModel\","
            + "\"timestamp\":0,\"sparkVersion\":\"4.1.0\",\"uid\":\"mlp_1\",\"paramMap\":{},\"defaultParamMap\":{}}\n";

    @TempDir
    Path dir;

    private final ModelStore store = new ModelStore(new Configuration());

    private static Model model(double value) {
        double[] params = new double[NETWORK.parameterCount()];
        Arrays.fill(params, value);
        return new Model(NETWORK, params);
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    private static List<String> entries(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Saves as a Spark ML estimator's model does: Spark's metadata first, then the model in data/. */
    private void saveSparkMl(Model model, String path, boolean overwrite) throws IOException {
        try (PendingOutput output = store.reserve(path, OutputKind.SPARK_ML_MODEL, overwrite, List.of())) {
            writeSparkMetadata(Path.of(output.aside().toUri()).resolve(ModelStore.SPARK_ML_METADATA));
            store.save(model, RECORD, output);
        }
    }

    private static void writeSparkMetadata(Path metadata) throws IOException {
        Files.createDirectories(metadata);
        Files.writeString(metadata.resolve("part-00000"), SPARK_METADATA);
        Files.writeString(metadata.resolve(".part-00000.crc"), "");
        Files.writeString(metadata.resolve("_SUCCESS"), "");
    }

    @Test
    void loadsAModelThroughEitherLayout() throws IOException {
        store.save(model(1), RECORD, path("plain"), false);
        saveSparkMl(model(2), path("spark"), false);
        assertEquals(List.of("data", "metadata"), entries(dir.resolve("spark")));
        assertEquals(List.of("metadata.json", "metrics.json", "weights.bin"), entries(dir.resolve("spark/data")));
        assertEquals(SPARK_METADATA, Files.readString(dir.resolve("spark/metadata/part-00000")));
        assertEquals(List.of("plain", "spark"), entries(dir), "no lock or temporary left");

        assertEquals(1.0, store.load(path("plain")).parameters()[0]);
        Model spark = store.load(path("spark"));
        assertArrayEquals(model(2).parameters(), spark.parameters());
        assertEquals(NETWORK, spark.network());
        assertEquals(2.0, store.load(path("spark/data")).parameters()[0], "data/ is a model directory of its own");
    }

    @Test
    void sparksOwnMetadataWriterMakesALayoutThatIsReadAndReplaced() throws IOException {
        org.apache.spark.sql.SparkSession spark = io.sparkprop.spark.LocalSpark.session();
        ModelStore sparkStore = new ModelStore(spark.sparkContext().hadoopConfiguration());
        for (double value : new double[] {1, 2}) {
            try (PendingOutput output = sparkStore.reserve(path("m"), OutputKind.SPARK_ML_MODEL, true, List.of())) {
                // Spark writes PATH/metadata/ for a model saved at PATH.
                org.apache.spark.ml.util.DefaultParamsWriter.saveMetadata(
                        new org.apache.spark.ml.feature.VectorAssembler("assembler_1"), output.aside().toString(), spark);
                sparkStore.save(model(value), RECORD, output);
            }
        }
        assertEquals(2.0, sparkStore.load(path("m")).parameters()[0], "Spark's part files, _SUCCESS and .crc are ours");
        assertTrue(entries(dir.resolve("m/metadata")).stream().anyMatch(name -> name.startsWith("part-")));
        assertEquals("assembler_1", org.apache.spark.ml.util.DefaultParamsReader.loadMetadata(path("m"), spark, "")
                .uid(), "Spark reads its metadata back");
    }

    @Test
    void theModelCannotBeWrittenBeforeSparksMetadata() throws IOException {
        try (PendingOutput output = store.reserve(path("m"), OutputKind.SPARK_ML_MODEL, false, List.of())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> store.save(model(1), RECORD, output));
            assertTrue(e.getMessage().contains("write Spark's params metadata to "), e.getMessage());
        }
        assertEquals(List.of(), entries(dir), "nothing left");
        assertThrows(IllegalArgumentException.class,
                () -> store.reserve(path("m"), OutputKind.PREDICTIONS, false, List.of()));
    }

    @Test
    void aPathThatIsNeitherLayoutIsNamedInOneLine() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.load(path("empty")));
        assertEquals(path("empty") + "/metadata.json is missing: " + path("empty") + " is not a sparkprop model "
                + "directory (nor a Spark ML model with one in data/)", e.getMessage());

        // Another Spark ML model: its data/ holds Parquet.
        Path logistic = dir.resolve("logistic");
        writeSparkMetadata(logistic.resolve("metadata"));
        Files.createDirectories(logistic.resolve("data"));
        Files.writeString(logistic.resolve("data/part-00000.snappy.parquet"), "PAR1");
        e = assertThrows(ModelStoreException.class, () -> store.load(logistic.toString()));
        assertEquals(logistic + "/data/metadata.json is missing: " + logistic + " has Spark ML's layout but its data/ "
                + "is not a sparkprop model", e.getMessage());

        // Spark ML's layout without data/ (as a VectorAssembler saves itself).
        Path assembler = dir.resolve("assembler");
        writeSparkMetadata(assembler.resolve("metadata"));
        e = assertThrows(ModelStoreException.class, () -> store.load(assembler.toString()));
        assertTrue(e.getMessage().startsWith(assembler + "/data/metadata.json is missing: "), e.getMessage());
    }

    @Test
    void overwriteRefusesADirectoryThatIsNotOneOfOurSparkMlModels() throws IOException {
        Path extra = dir.resolve("extra");
        saveSparkMl(model(1), extra.toString(), false);
        Files.createDirectories(extra.resolve("stages"));
        Files.writeString(extra.resolve("notes.txt"), "mine");
        assertRefused(extra, "it holds notes.txt, stages/");

        Path logistic = dir.resolve("logistic");
        writeSparkMetadata(logistic.resolve("metadata"));
        Files.createDirectories(logistic.resolve("data"));
        Files.writeString(logistic.resolve("data/part-00000.snappy.parquet"), "PAR1");
        Files.writeString(logistic.resolve("data/_SUCCESS"), "");
        assertRefused(logistic, "its data/ is not a sparkprop model: it holds _SUCCESS, part-00000.snappy.parquet");

        Path assembler = dir.resolve("assembler");
        writeSparkMetadata(assembler.resolve("metadata"));
        assertRefused(assembler, "it has no data/");

        Path emptyData = dir.resolve("empty-data");
        writeSparkMetadata(emptyData.resolve("metadata"));
        Files.createDirectories(emptyData.resolve("data"));
        assertRefused(emptyData, "its data/ is not a sparkprop model: it is empty");

        Path annotated = dir.resolve("annotated");
        saveSparkMl(model(1), annotated.toString(), false);
        Files.writeString(annotated.resolve("metadata/README"), "mine");
        assertRefused(annotated, "its metadata/ holds README");

        // A plain model directory is another kind of output.
        store.save(model(1), RECORD, path("plain"), false);
        assertRefused(dir.resolve("plain"), "it holds metadata.json, metrics.json, weights.bin");
        assertEquals(1.0, store.load(path("plain")).parameters()[0]);
    }

    private void assertRefused(Path existing, String why) throws IOException {
        List<String> before = tree(existing);
        ModelStoreException e = assertThrows(ModelStoreException.class,
                () -> saveSparkMl(model(9), existing.toString(), true));
        assertEquals(existing + " already exists and is not a sparkprop Spark ML model (" + why + "); sparkprop "
                + "replaces only its own outputs and empty directories: choose another output", e.getMessage());
        assertEquals(before, tree(existing), "untouched");
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void replacesOneOfOursOnlyWithOverwrite() throws IOException {
        saveSparkMl(model(1), path("m"), false);
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> saveSparkMl(model(2), path("m"), false));
        assertTrue(e.getMessage().endsWith("m already exists; pass --overwrite to replace it"), e.getMessage());
        assertEquals(1.0, store.load(path("m")).parameters()[0]);

        saveSparkMl(model(2), path("m"), true);
        assertEquals(2.0, store.load(path("m")).parameters()[0]);
        assertEquals(List.of("data", "metadata"), entries(dir.resolve("m")));
        assertEquals(List.of("m"), entries(dir), "the replaced model, lock and temporaries are gone");

        Files.createDirectories(dir.resolve("empty"));
        saveSparkMl(model(3), path("empty"), true);
        assertEquals(3.0, store.load(path("empty")).parameters()[0], "an empty directory may be replaced");
    }

    @Test
    void loadRestoresTheTopDirectoryThenData() throws IOException {
        // A replacement of the whole layout killed between its renames: only the complete new one aside.
        saveSparkMl(model(1), path("staging"), false);
        Files.move(dir.resolve("staging"), dir.resolve(".m.new-" + UUID.randomUUID()));
        assertEquals(1.0, store.load(path("m")).parameters()[0]);
        assertEquals(List.of("m"), entries(dir));

        // A model directory written into data/ by itself, killed the same way.
        Path m = dir.resolve("m");
        Files.move(m.resolve("data"), m.resolve(".data.old-" + UUID.randomUUID()));
        assertEquals(1.0, store.load(path("m")).parameters()[0]);
        assertEquals(List.of("data", "metadata"), entries(m));
    }
}
