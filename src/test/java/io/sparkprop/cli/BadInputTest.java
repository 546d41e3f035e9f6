package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of malformed CSV and LIBSVM files in src/test/resources/bad-input, each trained on
 * through the command line: exit code 3 and one line naming the file, the line and what is wrong,
 * no stack trace, no output left behind.
 */
class BadInputTest {
    @TempDir
    static Path outputs;

    @BeforeAll
    static void startSpark() {
        LocalSpark.session();
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("csv/not-a-number.csv", "3,2", "not-a-number.csv:4: column 3 ('f2') holds 'x7'; expected a "
                        + "finite number"),
                Arguments.of("csv/no-header-not-a-number.csv", "2,2", "no-header-not-a-number.csv:2: column 2 holds "
                        + "'abc'; expected a finite number"),
                Arguments.of("csv/empty-field.csv", "2,2", "empty-field.csv:5: column 1 ('f0') is empty; expected a "
                        + "finite number"),
                Arguments.of("csv/too-few-fields.csv", "3,2", "too-few-fields.csv:3: found 3 fields, expected 4 like the "
                        + "header"),
                Arguments.of("csv/too-many-fields.csv", "2,2", "too-many-fields.csv:2: found 4 fields, expected 3 like "
                        + "the first line"),
                Arguments.of("csv/infinite.csv", "2,2", "infinite.csv:3: column 1 ('f0') holds '1e999'; expected a "
                        + "finite number"),
                Arguments.of("csv/not-finite.csv", "2,2", "not-finite.csv:3: column 2 ('f1') holds 'NaN'; expected a "
                        + "finite number"),
                Arguments.of("csv/hex-float.csv", "2,2", "hex-float.csv:3: column 1 ('f0') holds '0x1p3'; expected a "
                        + "finite number"),
                Arguments.of("csv/unclosed-quote.csv", "2,2", "unclosed-quote.csv:3: column 1 ('f0') has an opening "
                        + "quote that is not closed on this line"),
                Arguments.of("csv/label-out-of-range.csv", "2,2", "label-out-of-range.csv:3: label 7.0 is not a class "
                        + "index 0..1"),
                Arguments.of("csv/label-fractional.csv", "2,3", "label-fractional.csv:3: label 0.5 is not a class index "
                        + "0..2"),
                Arguments.of("csv/label-negative.csv", "2,2", "label-negative.csv:3: label -1.0 is not a class index "
                        + "0..1"),
                Arguments.of("csv/label-missing.csv", "2,2", "label-missing.csv:3: column 0 ('label') is empty; "
                        + "expected a finite number"),
                Arguments.of("csv/label-guessed.csv", "2,2", "label-guessed.csv:4: label 2.0 is not a class index 0..1 "
                        + "(the output layer has 2 units) (the label is column 0 ('id'), guessed: no column is named "
                        + "'label'; choose one with --label-col)"),
                Arguments.of("csv/crlf-line-endings.csv", "2,2", "crlf-line-endings.csv:4: column 2 holds 'one'"),
                Arguments.of("csv/gzipped.csv.gz", "2,2", "gzipped.csv.gz:5: column 2 ('f1') holds 'oops'"),
                Arguments.of("csv/header-differs", "2,2", "header-differs/part-00001.csv:1: this header differs from "
                        + "the header of file:"),
                Arguments.of("csv/header-differs", "2,2", "part-00000.csv: column 0 is 'f0' here, 'label' there"),
                Arguments.of("libsvm/zero-index.libsvm", "3,2", "zero-index.libsvm:3: item '0:1.5': index 0; indices "
                        + "are 1-based"),
                Arguments.of("libsvm/negative-index.libsvm", "3,2", "negative-index.libsvm:2: item '-2:1.5': the index "
                        + "'-2' is not a positive integer; indices are 1-based"),
                Arguments.of("libsvm/unsorted-indices.libsvm", "3,2", "unsorted-indices.libsvm:2: index 2 follows "
                        + "index 5; indices must be strictly increasing"),
                Arguments.of("libsvm/duplicate-index.libsvm", "3,2", "duplicate-index.libsvm:3: index 3 repeats; "
                        + "indices must be strictly increasing"),
                Arguments.of("libsvm/bad-value.libsvm", "3,2", "bad-value.libsvm:2: index 2 holds 'abc'; expected a "
                        + "finite number"),
                Arguments.of("libsvm/not-finite-value.libsvm", "3,2", "not-finite-value.libsvm:2: index 2 holds 'nan'; "
                        + "expected a finite number"),
                Arguments.of("libsvm/bad-label.libsvm", "3,2", "bad-label.libsvm:2: the label 'cat' is not a finite "
                        + "number"),
                Arguments.of("libsvm/label-out-of-range.libsvm", "3,2", "label-out-of-range.libsvm:3: label 4.0 is not "
                        + "a class index 0..1"),
                Arguments.of("libsvm/missing-colon.libsvm", "3,2", "missing-colon.libsvm:2: item '2' is not "
                        + "index:value"),
                Arguments.of("libsvm/non-numeric-index.libsvm", "3,2", "non-numeric-index.libsvm:2: item 'x:2': the "
                        + "index 'x' is not a positive integer; indices are 1-based"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadFileGivesOneLineWithItsPlace(String file, String layers, String expected) throws URISyntaxException {
        Path input = resource("bad-input/" + file);
        Path output = outputs.resolve(file.replace('/', '-') + "-model");
        String format = file.startsWith("csv/") ? "csv" : "libsvm";
        CliRun run = CliRun.of("train", "--input", input.toString(), "--format", format, "--layers", layers,
                "--epochs", "1", "--output", output.toString());
        assertEquals(ExitCodes.BAD_DATA, run.exitCode(), run.out() + run.err());
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("sparkprop: file:"), err);
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace, no exception name: " + err);
        assertFalse(Files.exists(output), "no output left behind");
    }

    @Test
    void aMissingInputIsOneLineWithExitCode4() {
        Path missing = outputs.resolve("missing.csv");
        CliRun run = CliRun.of("train", "--input", missing.toString(), "--layers", "2,2", "--epochs", "1");
        assertEquals(ExitCodes.IO, run.exitCode(), run.err());
        assertEquals("sparkprop: cannot read csv input '" + missing + "': no such file or directory", run.err().strip());
        run = CliRun.of("train", "--input", outputs.resolve("nothing-*.libsvm").toString(), "--layers", "2,2");
        assertEquals(ExitCodes.IO, run.exitCode(), run.err());
        assertTrue(run.err().strip().endsWith("nothing-*.libsvm': no file matches"), run.err());
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(BadInputTest.class.getClassLoader().getResource(name).toURI());
    }
}
