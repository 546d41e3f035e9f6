package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Precision;
import io.sparkprop.io.ModelStore;
import io.sparkprop.onnx.OnnxRun;
import io.sparkprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparkprop export}: a trained model directory becomes an ONNX file that ONNX Runtime
 * serves with sparkprop's outputs; the output is guarded like every other (never replaces what
 * sparkprop did not write, never lies inside the model), and mistakes are one line with their code.
 */
class ExportCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path classifier;
    private static Path regression;

    @BeforeAll
    static void train() {
        LocalSpark.session();
        classifier = dir.resolve("classifier");
        CliRun run = CliRun.of("train", "--rows", "2000", "--epochs", "3", "--batch-size", "500", "--standardize",
                "--layers", "tanh(16)|softmax(10)", "--quiet", "--output", classifier.toString());
        assertEquals(0, run.exitCode(), run.err());
        regression = dir.resolve("regression");
        run = CliRun.of("train", "--task", "regression", "--rows", "2000", "--epochs", "3", "--layers",
                "relu(16)|identity(1)", "--quiet", "--output", regression.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void theExportedClassifierGivesSparkpropsProbabilitiesAndLabels() throws Exception {
        Path onnx = dir.resolve("classifier.onnx");
        CliRun run = CliRun.of("export", "--model", classifier.toString(), "--format", "onnx", "--output",
                onnx.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("onnx:    " + onnx + " (opset 17, float32)"), run.out());
        Model model = new ModelStore(new Configuration()).load(classifier.toString());
        double[] x = rows(1000, 10, 3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) x[i]; // the rows as the float32 model sees them
        }
        double[] expected = model.predict(x, 1000);
        try (OnnxRun served = OnnxRun.of(onnx)) {
            OnnxRun.Outputs out = served.score(x, 1000, 10, Precision.FLOAT32);
            for (int r = 0; r < 1000; r++) {
                int best = 0;
                for (int k = 0; k < 10; k++) {
                    assertEquals(expected[r * 10 + k], out.values()[r * 10 + k], 1e-5, "row " + r);
                    best = expected[r * 10 + k] > expected[r * 10 + best] ? k : best;
                }
                assertEquals(best, out.labels()[r], "row " + r);
            }
            Map<String, String> meta = served.session().getMetadata().getCustomMetadata();
            JsonNode metadata = JSON.readTree(classifier.resolve("metadata.json").toFile());
            assertEquals(metadata.at("/weights/sha256").asText(), meta.get("weights_sha256"));
            assertEquals(metadata.get("training"), JSON.readTree(meta.get("training")));
            assertEquals("multiclass", meta.get("task"));
        }
    }

    @Test
    void float64GivesTheRegressionsPredictionsToTheLastDigits() throws Exception {
        Path onnx = dir.resolve("regression.onnx");
        CliRun run = CliRun.of("export", "--model", regression.toString(), "--output", onnx.toString(),
                "--dtype", "float64");
        assertEquals(0, run.exitCode(), run.err());
        Model model = new ModelStore(new Configuration()).load(regression.toString());
        double[] x = rows(1000, 10, 4);
        double[] expected = model.predict(x, 1000);
        try (OnnxRun served = OnnxRun.of(onnx)) {
            TensorInfo info = (TensorInfo) served.session().getInputInfo().get("features").getInfo();
            assertEquals(OnnxJavaType.DOUBLE, info.type);
            double[] prediction = served.score(x, 1000, 10, Precision.FLOAT64).values();
            for (int r = 0; r < 1000; r++) {
                assertEquals(expected[r], prediction[r], 1e-12, "row " + r);
            }
        }
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenSparkpropExportedIt() throws Exception {
        Path onnx = dir.resolve("again.onnx");
        assertEquals(0, CliRun.of("export", "--model", classifier.toString(), "--output", onnx.toString()).exitCode());
        byte[] first = Files.readAllBytes(onnx);

        CliRun refused = CliRun.of("export", "--model", regression.toString(), "--output", onnx.toString());
        assertEquals(ExitCodes.IO, refused.exitCode());
        assertOneLine(refused.err());
        assertArrayEquals(first, Files.readAllBytes(onnx));

        CliRun replaced = CliRun.of("export", "--model", regression.toString(), "--output", onnx.toString(),
                "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(onnx)));

        Path notes = dir.resolve("notes.onnx");
        Files.writeString(notes, "my notes");
        CliRun foreign = CliRun.of("export", "--model", classifier.toString(), "--output", notes.toString(),
                "--overwrite");
        assertEquals(ExitCodes.IO, foreign.exitCode());
        assertTrue(foreign.err().contains("not an ONNX model produced by sparkprop"), foreign.err());
        assertEquals("my notes", Files.readString(notes));
        try (var entries = Files.list(dir)) {
            assertTrue(entries.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporaries left");
        }
    }

    @Test
    void mistakesAreOneLineWithTheirCode() {
        CliRun format = CliRun.of("export", "--model", classifier.toString(), "--format", "pmml", "--output",
                dir.resolve("m.pmml").toString());
        assertEquals(ExitCodes.USAGE, format.exitCode());
        assertEquals("sparkprop: --format pmml is not supported (expected onnx)", format.err().strip());

        CliRun dtype = CliRun.of("export", "--model", classifier.toString(), "--dtype", "float16", "--output",
                dir.resolve("m16.onnx").toString());
        assertEquals(ExitCodes.USAGE, dtype.exitCode());
        assertOneLine(dtype.err());

        CliRun missing = CliRun.of("export", "--model", dir.resolve("nothing").toString(), "--output",
                dir.resolve("nothing.onnx").toString());
        assertEquals(ExitCodes.IO, missing.exitCode());
        assertOneLine(missing.err());

        CliRun inside = CliRun.of("export", "--model", classifier.toString(), "--output",
                classifier.resolve("model.onnx").toString());
        assertEquals(ExitCodes.IO, inside.exitCode());
        assertOneLine(inside.err());
        assertFalse(Files.exists(classifier.resolve("model.onnx")));
        assertFalse(Files.exists(dir.resolve("m.pmml")) || Files.exists(dir.resolve("m16.onnx"))
                || Files.exists(dir.resolve("nothing.onnx")));
    }

    private static void assertOneLine(String err) {
        assertTrue(err.startsWith("sparkprop: ") && err.strip().lines().count() == 1, err);
    }

    /** Rows of features in the built-in tasks' range. */
    private static double[] rows(int rows, int width, long seed) {
        Random random = new Random(seed);
        double[] x = new double[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * random.nextGaussian();
        }
        return x;
    }
}
