package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed input of the corpus in {@code src/test/resources/bad-input} (written by
 * {@link io.sparkprop.io.BadInputCorpus}) through {@code train}: exit code 3, one line naming the
 * file and the place, no stack trace, no model left behind.
 */
class BadInputTest {
    private static final String CLASSES = "sigmoid(4)|softmax(3)";
    private static final String TARGETS = "tanh(4)|identity(2)";

    @TempDir
    static Path dir;

    @BeforeAll
    static void startSpark() {
        LocalSpark.session();
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                bad("parquet/truncated.parquet", CLASSES, "truncated.parquet: a truncated Parquet file (it does not end "
                        + "with Parquet's magic number PAR1"),
                bad("parquet/not-parquet.parquet", CLASSES, "not-parquet.parquet: not a Parquet file"),
                bad("parquet/null-feature.parquet", CLASSES, "null-feature.parquet: row index 2, column 'b' is null; "
                        + "expected a number"),
                bad("parquet/nan-feature.parquet", CLASSES, "nan-feature.parquet: row index 1, column 'a' holds NaN; "
                        + "expected a finite number"),
                bad("parquet/inf-feature.parquet", CLASSES, "inf-feature.parquet: row index 3, column 'b' holds "
                        + "Infinity; expected a finite number"),
                bad("parquet/string-column.parquet", CLASSES, "string-column.parquet: column 'name' is string; "
                        + "expected numbers only"),
                bad("parquet/nan-in-vector.parquet", CLASSES, "nan-in-vector.parquet: row index 2, column 'features' "
                        + "holds NaN at position 1; expected finite numbers"),
                bad("parquet/label-out-of-range.parquet", CLASSES, "label-out-of-range.parquet: row index 1, label "
                        + "column 'label': label 7.0 is not a class index 0..2"),
                bad("parquet/label-negative.parquet", CLASSES, "label-negative.parquet: row index 2, label column "
                        + "'label': label -1.0 is not a class index 0..2"),
                bad("parquet/label-fractional.parquet", CLASSES, "label-fractional.parquet: row index 2, label column "
                        + "'label': label 1.5 is not a class index 0..2"),
                bad("parquet/label-missing.parquet", CLASSES, "label-missing.parquet: row index 1, label column "
                        + "'label': the label is missing (null)"),
                bad("parquet/guessed-label.parquet", CLASSES, "guessed-label.parquet: row index 1, label column 'x0': "
                        + "label 0.25 is not a class index 0..2 (the output layer has 3 units); no column is named "
                        + "'label', so the first column 'x0' was taken as the label: name the label column with "
                        + "--label-col"),
                bad("parquet/bad-vector-label.parquet", TARGETS, "bad-vector-label.parquet: row index 1, label column "
                        + "'label': label vector value 1 is NaN"),
                bad("parquet/vector-label.parquet", "tanh(4)|identity(3)", "vector-label.parquet: row index 0, label "
                        + "column 'label': label vector has 2 values, the output layer has 3 units"),
                bad("idx/short-images-idx3-ubyte", CLASSES, "short-images-idx3-ubyte is cut short: its header promises "
                        + "4 images of 2x2 but it holds only 3 complete ones"),
                bad("idx/shortlabels-images-idx3-ubyte", CLASSES, "shortlabels-labels-idx1-ubyte is cut short: its "
                        + "header promises 4 labels but it holds only 2"),
                bad("idx/badlabel-images-idx3-ubyte", CLASSES, "badlabel-labels-idx1-ubyte: label index 2: label 5.0 "
                        + "is not a class index 0..2"),
                bad("idx/cutgz-images-idx3-ubyte.gz", CLASSES, "cutgz-images-idx3-ubyte.gz is cut short"));
    }

    private static Arguments bad(String file, String layers, String message) {
        return Arguments.of(file, layers, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badInputIsOneLineWithItsPlaceAndExitCode3(String file, String layers, String message) {
        Path model = dir.resolve("model-" + Path.of(file).getFileName());
        CliRun run = CliRun.of("train", "--input", corpus(file), "--layers", layers, "--epochs", "1",
                "--output", model.toString());
        assertOneLine(run, ExitCodes.BAD_DATA, message);
        assertFalse(Files.exists(model), "no model after bad input");
    }

    @Test
    void aVectorLabelColumnTrainsAMultiOutputRegressionThatPredicts() {
        String data = corpus("parquet/vector-label.parquet");
        Path model = dir.resolve("vector-label-model");
        CliRun run = CliRun.of("train", "--input", data, "--layers", TARGETS, "--epochs", "2", "--lr", "0.1",
                "--output", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("final:   4 rows"), run.out());
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", data, "--output",
                dir.resolve("vector-label-predictions").toString());
        assertEquals(0, predict.exitCode(), predict.err());
    }

    @Test
    void aMissingPathIsExit4InOneLineWithoutSparksWarnings() {
        String missing = dir.resolve("nowhere.csv").toString();
        CliRun run;
        String logged;
        try (LogCapture spark = new LogCapture("org.apache", Level.WARN)) {
            run = CliRun.of("train", "--input", missing, "--layers", CLASSES, "--epochs", "1");
            logged = spark.text();
        }
        assertOneLine(run, ExitCodes.IO, missing + ": no such file or directory");
        assertEquals("", logged, "Spark and Hadoop log nothing for a missing path");
    }

    @Test
    void anEmptyDirectoryIsBadInput() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty.parquet"));
        Files.createFile(empty.resolve("_SUCCESS"));
        assertOneLine(CliRun.of("train", "--input", empty.toString(), "--layers", CLASSES, "--epochs", "1"),
                ExitCodes.BAD_DATA, empty + ": no data files in this directory");
    }

    private static String corpus(String file) {
        return Path.of("src/test/resources/bad-input").resolve(file).toAbsolutePath().toString();
    }

    private static void assertOneLine(CliRun run, int code, String message) {
        assertEquals(code, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace for a user error: " + run.err());
    }
}
