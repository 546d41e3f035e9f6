package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed input of the corpus in {@code src/test/resources/bad-input} (CSV and LIBSVM
 * files; Parquet and IDX files written by {@link io.sparkprop.io.BadInputCorpus}) through
 * {@code train}: exit code 3, one line naming the file and the place (line, row, column) and what
 * is wrong, no stack trace, no model left behind.
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
                text("csv/not-a-number.csv", "3,2", "not-a-number.csv:4: column 3 ('f2') holds 'x7'; expected a "
                        + "finite number"),
                text("csv/no-header-not-a-number.csv", "2,2", "no-header-not-a-number.csv:2: column 2 holds "
                        + "'abc'; expected a finite number"),
                text("csv/empty-field.csv", "2,2", "empty-field.csv:5: column 1 ('f0') is empty; expected a "
                        + "finite number"),
                text("csv/too-few-fields.csv", "3,2", "too-few-fields.csv:3: found 3 fields, expected 4 like the "
                        + "header"),
                text("csv/too-many-fields.csv", "2,2", "too-many-fields.csv:2: found 4 fields, expected 3 like "
                        + "the first line"),
                text("csv/infinite.csv", "2,2", "infinite.csv:3: column 1 ('f0') holds '1e999'; expected a "
                        + "finite number"),
                text("csv/not-finite.csv", "2,2", "not-finite.csv:3: column 2 ('f1') holds 'NaN'; expected a "
                        + "finite number"),
                text("csv/hex-float.csv", "2,2", "hex-float.csv:3: column 1 ('f0') holds '0x1p3'; expected a "
                        + "finite number"),
                text("csv/unclosed-quote.csv", "2,2", "unclosed-quote.csv:3: column 1 ('f0') has an opening "
                        + "quote that is not closed on this line"),
                text("csv/label-out-of-range.csv", "2,2", "label-out-of-range.csv:3: label 7.0 is not a class "
                        + "index 0..1"),
                text("csv/label-fractional.csv", "2,3", "label-fractional.csv:3: label 0.5 is not a class index "
                        + "0..2"),
                text("csv/label-negative.csv", "2,2", "label-negative.csv:3: label -1.0 is not a class index "
                        + "0..1"),
                text("csv/label-missing.csv", "2,2", "label-missing.csv:3: column 0 ('label') is empty; "
                        + "expected a finite number"),
                text("csv/label-guessed.csv", "2,2", "label-guessed.csv:4: label 2.0 is not a class index 0..1 "
                        + "(the output layer has 2 units) (the label is column 0 ('id'), guessed: no column is named "
                        + "'label'; choose one with --label-col)"),
                text("csv/crlf-line-endings.csv", "2,2", "crlf-line-endings.csv:4: column 2 holds 'one'"),
                text("csv/gzipped.csv.gz", "2,2", "gzipped.csv.gz:5: column 2 ('f1') holds 'oops'"),
                text("csv/header-differs", "2,2", "header-differs/part-00001.csv:1: this header differs from "
                        + "the header of file:"),
                text("csv/header-differs", "2,2", "part-00000.csv: column 0 is 'f0' here, 'label' there"),
                text("libsvm/zero-index.libsvm", "3,2", "zero-index.libsvm:3: item '0:1.5': index 0; indices "
                        + "are 1-based"),
                text("libsvm/negative-index.libsvm", "3,2", "negative-index.libsvm:2: item '-2:1.5': the index "
                        + "'-2' is not a positive integer; indices are 1-based"),
                text("libsvm/unsorted-indices.libsvm", "3,2", "unsorted-indices.libsvm:2: index 2 follows "
                        + "index 5; indices must be strictly increasing"),
                text("libsvm/duplicate-index.libsvm", "3,2", "duplicate-index.libsvm:3: index 3 repeats; "
                        + "indices must be strictly increasing"),
                text("libsvm/bad-value.libsvm", "3,2", "bad-value.libsvm:2: index 2 holds 'abc'; expected a "
                        + "finite number"),
                text("libsvm/not-finite-value.libsvm", "3,2", "not-finite-value.libsvm:2: index 2 holds 'nan'; "
                        + "expected a finite number"),
                text("libsvm/bad-label.libsvm", "3,2", "bad-label.libsvm:2: the label 'cat' is not a finite "
                        + "number"),
                text("libsvm/label-out-of-range.libsvm", "3,2", "label-out-of-range.libsvm:3: label 4.0 is not "
                        + "a class index 0..1"),
                text("libsvm/missing-colon.libsvm", "3,2", "missing-colon.libsvm:2: item '2' is not "
                        + "index:value"),
                text("libsvm/non-numeric-index.libsvm", "3,2", "non-numeric-index.libsvm:2: item 'x:2': the "
                        + "index 'x' is not a positive integer; indices are 1-based"),
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
                        + "label 0.25 is not a class index 0..2 (the output layer has 3 units) (the label is column 0 "
                        + "('x0'), guessed: no column is named 'label'; choose one with --label-col)"),
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

    /** A CSV or LIBSVM file, read as the format its folder names (some have no telling extension). */
    private static Arguments text(String file, String layers, String message) {
        return Arguments.of(file, layers, message);
    }

    /** A Parquet or IDX input, its format detected from its name. */
    private static Arguments bad(String file, String layers, String message) {
        return Arguments.of(file, layers, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badInputIsOneLineWithItsPlaceAndExitCode3(String file, String layers, String message) {
        Path model = dir.resolve("model-" + file.replace('/', '-'));
        List<String> args = new ArrayList<>(List.of("train", "--input", corpus(file), "--layers", layers,
                "--epochs", "1", "--output", model.toString()));
        if (file.startsWith("csv/") || file.startsWith("libsvm/")) {
            args.addAll(List.of("--format", file.substring(0, file.indexOf('/'))));
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertOneLine(run, ExitCodes.BAD_DATA, message);
        assertFalse(run.err().contains("Exception"), "no exception name: " + run.err());
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
        String glob = dir.resolve("nothing-*.libsvm").toString();
        assertOneLine(CliRun.of("train", "--input", glob, "--layers", CLASSES), ExitCodes.IO,
                glob + ": no such file or directory");
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
