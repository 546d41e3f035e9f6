package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LIBSVM file's width is its largest index only when nothing else says it: data for a saved
 * model has the model's width, validation data the training data's, so a test file whose rows
 * happen not to use the last features still fits.
 */
class LibsvmWidthTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void spark() {
        LocalSpark.session();
    }

    @Test
    void evaluatePredictAndValidationTakeTheWidthTheyAreGiven() throws IOException {
        Path train = Files.write(dir.resolve("train.libsvm"), List.of("0 1:0.5 2:1", "1 3:2 5:1", "2 4:1", "0 1:1 5:0.5"));
        Path narrow = Files.write(dir.resolve("test.libsvm"), List.of("1 1:0.5", "0 2:1 3:0.25")); // largest index 3
        Path model = dir.resolve("model");
        CliRun run = CliRun.of("train", "--input", train.toString(), "--validation", narrow.toString(), "--layers",
                "tanh(4)|softmax(3)", "--epochs", "2", "--output", model.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("validation: 2 rows"), run.out());

        CliRun evaluate = CliRun.of("evaluate", "--model", model.toString(), "--input", narrow.toString());
        assertEquals(ExitCodes.OK, evaluate.exitCode(), evaluate.err());
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", narrow.toString(), "--output",
                dir.resolve("predictions").toString());
        assertEquals(ExitCodes.OK, predict.exitCode(), predict.err());

        Path wide = Files.write(dir.resolve("wide.libsvm"), List.of("1 1:0.5", "0 6:1"));
        CliRun tooWide = CliRun.of("evaluate", "--model", model.toString(), "--input", wide.toString());
        assertEquals(ExitCodes.BAD_DATA, tooWide.exitCode(), tooWide.err());
        assertTrue(tooWide.err().contains("wide.libsvm:2: index 6 is beyond the 5 features"), tooWide.err());
    }
}
