package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training that must not end in a saved model: divergence, and runs that would not train at all. */
class TrainingStopsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void spark() {
        LocalSpark.session();
    }

    @Test
    void explodingTrainingExitsFiveAndWritesNothing() throws IOException {
        Path model = dir.resolve("exploded");
        CliRun run = CliRun.of("train", "--rows", "2000", "--layers", "relu(32)|softmax(10)", "--lr", "1e6",
                "--epochs", "20", "--output", model.toString());
        assertEquals(ExitCodes.DIVERGED, run.exitCode(), run.out() + run.err());
        List<String> errors = run.err().lines().toList();
        assertEquals(1, errors.size(), run.err());
        assertTrue(errors.get(0).matches("sparkprop: training diverged at epoch \\d+: .*the last finite loss was "
                + ".* Nothing was saved: try a smaller learning rate than 1\\.00e\\+06.*"), errors.get(0));
        assertFalse(run.out().matches("(?s).*\\d{20}.*"), "no number printed with dozens of digits: " + run.out());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "no model and no temporaries");
        }
    }

    @Test
    void zeroEpochsIsABadCommandLine() {
        CliRun run = CliRun.of("train", "--rows", "100", "--epochs", "0", "--output", dir.resolve("m").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertEquals("sparkprop: epochs must be at least 1, got 0", run.err().strip());
        assertFalse(Files.exists(dir.resolve("m")));
    }
}
