package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.io.ModelStore;
import io.sparkprop.io.OutputKind;
import io.sparkprop.io.PendingOutput;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs through the command line: never destructive, checked before any work, all or nothing. */
class OutputSafetyTest {
    @TempDir
    static Path dir;
    private static Path data;
    private static Path csv;
    private static Path model;
    private static List<String> csvLines;

    @BeforeAll
    static void trainAModel() throws IOException {
        LocalSpark.session();
        data = Files.createDirectories(dir.resolve("data"));
        csvLines = new ArrayList<>(List.of("label,a,b,c"));
        for (int i = 0; i < 60; i++) {
            csvLines.add((i % 3) + "," + (i % 7) + "," + (i % 5) + "," + (i % 3 == 0 ? 1 : 0));
        }
        csv = Files.write(data.resolve("train.csv"), csvLines);
        model = dir.resolve("model");
        CliRun run = CliRun.of("train", "--input", csv.toString(), "--layers", "3,3", "--epochs", "1", "--output",
                model.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    private static String[] train(String output, String... more) {
        return Stream.concat(Stream.of("train", "--input", csv.toString(), "--layers", "3,3", "--epochs", "1",
                "--output", output), Stream.of(more)).toArray(String[]::new);
    }

    private static void assertRefused(CliRun run, String message) {
        assertEquals(ExitCodes.IO, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        assertFalse(run.out().contains("epoch"), "refused before any work: " + run.out());
    }

    private static void assertInputsUntouched() throws IOException {
        assertEquals(csvLines, Files.readAllLines(csv));
        assertEquals(List.of("train.csv"), entries(data));
        assertTrue(Files.exists(model.resolve("weights.bin")));
    }

    private static List<String> entries(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void overwriteRefusesAUserDirectoryAndReplacesOnlyItsOwnModels() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("thesis.tex"), "years of work");
        assertRefused(CliRun.of(train(work.toString(), "--overwrite")), work + " already exists and is not a "
                + "sparkprop model (it holds thesis.tex); sparkprop replaces only its own outputs and empty directories");
        assertEquals(List.of("thesis.tex"), entries(work));
        assertEquals("years of work", Files.readString(work.resolve("thesis.tex")));

        // What scripts/train-local.sh does on every run: --overwrite of its own model directory.
        Path builtIn = Files.createDirectories(dir.resolve("models/built-in"));
        assertEquals(0, CliRun.of(train(builtIn.toString(), "--overwrite")).exitCode(), "an empty directory");
        CliRun again = CliRun.of(train(builtIn.toString(), "--overwrite"));
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(List.of("built-in"), entries(dir.resolve("models")));
    }

    @Test
    void trainRefusesAnOutputThatIsContainsOrLiesInsideItsInputs() throws IOException {
        assertRefused(CliRun.of(train(csv.toString(), "--overwrite")), "output " + csv + " is the --input " + csv);
        assertRefused(CliRun.of(train(data.toString(), "--overwrite")), "output " + data + " contains the --input");
        assertRefused(CliRun.of(train(model.toString(), "--overwrite", "--init-model", model.toString())),
                "output " + model + " is the --init-model " + model);
        assertRefused(CliRun.of(train(model.resolve("next").toString(), "--init-model", model.toString())),
                "lies inside the --init-model");
        assertRefused(CliRun.of(train(dir.resolve("v").toString(), "--validation",
                dir.resolve("v/held-out.csv").toString())), "contains the --validation");
        assertInputsUntouched();
    }

    @Test
    void predictNeverDeletesItsInputAndReplacesOnlyItsOwnPredictions() throws IOException {
        assertRefused(CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--output",
                csv.toString(), "--overwrite"), "output " + csv + " is the --input " + csv);
        assertRefused(CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--output",
                model.resolve("predictions").toString(), "--overwrite"), "lies inside the --model");
        assertRefused(CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--output",
                dir.toString(), "--overwrite"), "contains the --model");
        assertInputsUntouched();

        Path predictions = dir.resolve("predictions");
        String[] predict = {"predict", "--model", model.toString(), "--input", csv.toString(), "--output",
            predictions.toString()};
        assertEquals(0, CliRun.of(predict).exitCode());
        assertTrue(entries(predictions).contains(OutputKind.MARKER), entries(predictions).toString());
        assertRefused(CliRun.of(predict), predictions + " already exists; pass --overwrite to replace it");
        CliRun replaced = CliRun.of(Stream.concat(Stream.of(predict), Stream.of("--overwrite")).toArray(String[]::new));
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertTrue(entries(predictions).stream().anyMatch(name -> name.startsWith("part-")));

        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("part-00000.csv"), "my own part file");
        assertRefused(CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--output",
                mine.toString(), "--overwrite"), "is not predictions written by sparkprop (it has no readable "
                + "_sparkprop.json)");
        assertEquals("my own part file", Files.readString(mine.resolve("part-00000.csv")));
    }

    @Test
    void generateReplacesOnlyDataItGenerated() throws IOException {
        Path generated = dir.resolve("generated.parquet");
        String[] generate = {"generate", "--rows", "50", "--features", "3", "--output", generated.toString()};
        assertEquals(0, CliRun.of(generate).exitCode());
        assertRefused(CliRun.of(generate), generated + " already exists; pass --overwrite");
        CliRun again = CliRun.of(Stream.concat(Stream.of(generate), Stream.of("--overwrite")).toArray(String[]::new));
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(entries(generated).contains(OutputKind.MARKER), entries(generated).toString());
        // Predictions may not replace generated data, though both are directories of part files.
        assertRefused(CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--output",
                generated.toString(), "--overwrite"), "(its _sparkprop.json has format \"sparkprop-generated-data\")");
        assertRefused(CliRun.of("generate", "--rows", "5", "--output", data.toString(), "--format", "csv",
                "--overwrite"), data + " already exists and is not data generated by sparkprop (it holds train.csv)");
        assertInputsUntouched();
    }

    @Test
    void aFailedPredictLeavesNothingBehind() throws IOException {
        List<String> lines = new ArrayList<>(csvLines);
        lines.set(50, "1,2,oops,3");
        Path bad = Files.write(dir.resolve("late-error.csv"), lines);
        Path output = dir.resolve("failed/run-1/predictions");
        CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", bad.toString(), "--output",
                output.toString());
        assertEquals(ExitCodes.BAD_DATA, run.exitCode(), run.err());
        assertTrue(run.err().contains("'oops'"), run.err());
        assertFalse(Files.exists(dir.resolve("failed")), "no output, temporary, lock or created parent is left");
    }

    @Test
    void evaluateWritesItsReportAtomicallyAndReplacesOnlyItsOwn() throws IOException {
        assertRefused(CliRun.of("evaluate", "--model", model.toString(), "--input", csv.toString(), "--output",
                csv.toString(), "--overwrite"), "output " + csv + " is the --input " + csv);
        assertRefused(CliRun.of("evaluate", "--model", model.toString(), "--input", csv.toString(), "--output",
                model.resolve("metrics.json").toString(), "--overwrite"), "lies inside the --model");
        assertInputsUntouched();

        Path report = dir.resolve("report.json");
        String[] evaluate = {"evaluate", "--model", model.toString(), "--input", csv.toString(), "--output",
            report.toString(), "--overwrite"};
        assertEquals(0, CliRun.of(evaluate).exitCode());
        assertTrue(Files.readString(report).startsWith("{\n  \"format\" : \"sparkprop-evaluation\",\n  "
                + "\"formatVersion\" : 1,\n  \"model\" : "), Files.readString(report));
        assertEquals(0, CliRun.of(evaluate).exitCode(), "its own report is replaced");

        Path notes = Files.writeString(dir.resolve("notes.json"), "{\"mine\": true}");
        assertRefused(CliRun.of("evaluate", "--model", model.toString(), "--input", csv.toString(), "--output",
                notes.toString(), "--overwrite"), "is not a report written by sparkprop evaluate");
        assertEquals("{\"mine\": true}", Files.readString(notes));
    }

    @Test
    void aSecondJobOnTheSameOutputFailsAtItsStart() {
        Path output = dir.resolve("contended");
        ModelStore store = new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration());
        try (PendingOutput first = store.reserve(output.toString(), false, List.of())) {
            assertRefused(CliRun.of(train(output.toString())), output + " is being written by another job (pid "
                    + ProcessHandle.current().pid());
        }
        assertFalse(Files.exists(output));
    }
}
