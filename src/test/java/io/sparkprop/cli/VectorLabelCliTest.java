package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vector labels (a Parquet column of ml.linalg vectors, written by Spark) through {@code train},
 * {@code evaluate} and {@code predict}: multi-output regression and multi-label classification
 * learn their tasks, and a vector label that does not fit the output layer is one line, exit 3.
 */
class VectorLabelCliTest {
    private static final int ROWS = 240;
    private static final int FEATURES = 4;
    /** The regression targets are {@code A x}: three outputs of four features. */
    private static final double[][] A = {{1.0, -0.5, 0.0, 0.25}, {0.0, 0.5, 1.0, 0.0}, {-0.5, 0.0, 0.5, 1.0}};
    private static final StructType VECTORS = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
        new StructField("label", SQLDataTypes.VectorType(), true, Metadata.empty())});

    @TempDir
    static Path dir;
    private static double[][] x;

    @BeforeAll
    static void writeParquet() {
        Random random = new Random(11);
        x = new double[ROWS][FEATURES];
        List<Row> regression = new ArrayList<>();
        List<Row> multilabel = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i][j] = 2 * random.nextDouble() - 1;
            }
            double[] y = new double[A.length];
            for (int k = 0; k < A.length; k++) {
                for (int j = 0; j < FEATURES; j++) {
                    y[k] += A[k][j] * x[i][j];
                }
            }
            regression.add(RowFactory.create(Vectors.dense(x[i]), Vectors.dense(y)));
            double[] tags = new double[FEATURES]; // label j: is feature j positive
            for (int j = 0; j < FEATURES; j++) {
                tags[j] = x[i][j] > 0 ? 1 : 0;
            }
            multilabel.add(RowFactory.create(x[i][0], x[i][1], x[i][2], x[i][3], Vectors.dense(tags)));
        }
        write("regression.parquet", VECTORS, regression);
        // Column-per-feature layout with the vector label in a column of another name.
        StructType columns = new StructType(new StructField[] {
            new StructField("x0", DataTypes.DoubleType, false, Metadata.empty()),
            new StructField("x1", DataTypes.DoubleType, false, Metadata.empty()),
            new StructField("x2", DataTypes.DoubleType, false, Metadata.empty()),
            new StructField("x3", DataTypes.DoubleType, false, Metadata.empty()),
            new StructField("tags", SQLDataTypes.VectorType(), false, Metadata.empty())});
        write("multilabel.parquet", columns, multilabel);
        write("short-label.parquet", VECTORS, List.of(
                RowFactory.create(Vectors.dense(1, 2, 3, 4), Vectors.dense(1, 2, 3)),
                RowFactory.create(Vectors.dense(1, 2, 3, 4), Vectors.dense(1, 2))));
        write("nan-label.parquet", VECTORS, List.of(
                RowFactory.create(Vectors.dense(1, 2, 3, 4), Vectors.dense(1, 2, 3)),
                RowFactory.create(Vectors.dense(1, 2, 3, 4), Vectors.dense(1, 2, 3)),
                RowFactory.create(Vectors.dense(1, 2, 3, 4), Vectors.dense(1, Double.NaN, 3))));
        write("not-binary.parquet", VECTORS, List.of(
                RowFactory.create(Vectors.dense(1, 2, 3, 4), Vectors.dense(1, 0, 0, 1)),
                RowFactory.create(Vectors.dense(1, 2, 3, 4), Vectors.dense(0, 2, 0, 1))));
        write("null-label.parquet", VECTORS, List.of(
                RowFactory.create(Vectors.dense(1, 2, 3, 4), null)));
    }

    /** One Parquet file written by Spark, so row indices in messages are those of the rows given. */
    private static void write(String name, StructType schema, List<Row> rows) {
        LocalSpark.session().createDataFrame(rows, schema).coalesce(1).write().parquet(dir.resolve(name).toString());
    }

    private static String data(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void multiOutputRegressionTrainsEvaluatesAndPredicts() throws IOException {
        Path model = dir.resolve("regression-model");
        CliRun train = CliRun.of("train", "--input", data("regression.parquet"), "--layers", "tanh(16)|identity(3)",
                "--optimizer", "adam", "--lr", "0.02", "--epochs", "150", "--output", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("final:   240 rows"), train.out());

        JsonNode metrics = evaluate(model, data("regression.parquet"));
        assertEquals("regression", metrics.path("task").asText());
        assertEquals(ROWS, metrics.path("count").asLong());
        assertEquals(3, metrics.path("r2PerOutput").size());
        for (JsonNode r2 : metrics.path("r2PerOutput")) {
            assertTrue(r2.asDouble() > 0.95, "each output learnt: " + metrics);
        }

        List<String> predictions = predict(model, data("regression.parquet"));
        assertEquals("prediction,output_0,output_1,output_2", predictions.get(0), "no label column for vector labels");
        assertEquals(ROWS, predictions.size() - 1);
    }

    @Test
    void multiLabelClassificationTrainsEvaluatesAndPredicts() throws IOException {
        Path model = dir.resolve("multilabel-model");
        CliRun train = CliRun.of("train", "--input", data("multilabel.parquet"), "--label-col", "tags",
                "--layers", "relu(16)|sigmoid(4)", "--loss", "binary-cross-entropy", "--optimizer", "adam",
                "--lr", "0.05", "--epochs", "150", "--output", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("final:   240 rows"), train.out());

        JsonNode metrics = evaluate(model, data("multilabel.parquet"), "--label-col", "tags");
        assertEquals("multilabel", metrics.path("task").asText());
        assertEquals(ROWS, metrics.path("count").asLong());
        assertTrue(metrics.path("accuracy").asDouble() > 0.95, "per-label accuracy: " + metrics);
        assertTrue(metrics.path("subsetAccuracy").asDouble() > 0.8, "subset accuracy: " + metrics);
        assertEquals(4, metrics.path("labelConfusion").size());

        List<String> predictions = predict(model, data("multilabel.parquet"), "--label-col", "tags");
        assertEquals("prediction,output_0,output_1,output_2,output_3", predictions.get(0));
        assertEquals(ROWS, predictions.size() - 1);
    }

    /** {@code evaluate --output}: exit 0, the printed report, and the metrics of the JSON file. */
    private static JsonNode evaluate(Path model, String input, String... options) throws IOException {
        Path json = dir.resolve(model.getFileName() + "-evaluation.json");
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", model.toString(), "--input", input,
                "--output", json.toString()));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("examples              240"), run.out());
        return new ObjectMapper().readTree(json.toFile()).path("metrics");
    }

    /** {@code predict}: exit 0 and the lines of its CSV part files, the header first. */
    private static List<String> predict(Path model, String input, String... options) throws IOException {
        Path out = dir.resolve(model.getFileName() + "-predictions");
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--input", input,
                "--output", out.toString()));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                List<String> partLines = Files.readAllLines(part);
                lines.addAll(lines.isEmpty() ? partLines : partLines.subList(1, partLines.size()));
            }
        }
        return lines;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "short-label.parquet; tanh(4)|identity(3); squared-error; row index 1, label column 'label': label vector has "
                + "2 values, the output layer has 3 units",
        "nan-label.parquet; tanh(4)|identity(3); squared-error; row index 2, label column 'label': label vector value "
                + "1 is NaN; expected a finite number",
        "not-binary.parquet; relu(4)|sigmoid(4); binary-cross-entropy; row index 1, label column 'label': label "
                + "vector value 1 is 2.0, not in [0, 1] as binary cross-entropy needs",
        "null-label.parquet; tanh(4)|identity(3); squared-error; row index 0, label column 'label': the label is "
                + "missing (null)"})
    void aVectorLabelThatDoesNotFitIsOneLineAndExit3(String file, String layers, String loss, String message) {
        Path model = dir.resolve("model-" + file);
        CliRun run = CliRun.of("train", "--input", data(file), "--layers", layers, "--loss", loss, "--epochs", "1",
                "--output", model.toString());
        assertEquals(ExitCodes.BAD_DATA, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(file + "/part-"), "names the file: " + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        assertFalse(run.err().contains("Exception"), "no exception name: " + run.err());
        assertFalse(Files.exists(model), "no model after bad input");
    }

    @Test
    void evaluateRefusesVectorLabelsOfAnotherWidthThanTheModel() {
        Path model = dir.resolve("four-label-model");
        assertEquals(0, CliRun.of("train", "--input", data("multilabel.parquet"), "--label-col", "tags", "--layers",
                "relu(4)|sigmoid(4)", "--epochs", "1", "--output", model.toString()).exitCode());
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--input", data("regression.parquet"));
        assertEquals(ExitCodes.BAD_DATA, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("row index 0, label column 'label': label vector has 3 values, the output "
                + "layer has 4 units"), run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    }
}
