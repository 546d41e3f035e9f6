package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV file still being written while {@code train} reads it is reported, not read partly. */
class ChangingInputTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        LocalSpark.session();
    }

    @Test
    void aFileGrowingDuringTheReadFailsWithOneLineAndNoModel() throws Exception {
        Path csv = dir.resolve("growing.csv");
        StringBuilder rows = new StringBuilder("label,a,b\n");
        for (int i = 0; i < 2000; i++) {
            rows.append(i % 2).append(',').append(i % 7).append(',').append(i % 5).append('\n');
        }
        Files.writeString(csv, rows);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; writing.get(); i++) {
                    Files.writeString(csv, (i % 2) + ",1,2\n", StandardOpenOption.APPEND);
                    Thread.sleep(5);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.start();
        CliRun run;
        try {
            run = CliRun.of("train", "--input", csv.toString(), "--layers", "2,4,2", "--epochs", "2", "--output",
                    dir.resolve("model").toString());
        } finally {
            writing.set(false);
            writer.join();
        }
        assertEquals(ExitCodes.BAD_DATA, run.exitCode(), run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).matches("sparkprop: the input changed while it was read: \\S*growing\\.csv: [0-9,]+ bytes, "
                + "modified \\S+, now [0-9,]+ bytes, modified \\S+; expected files that no longer change: train once they "
                + "are complete"), lines.get(0));
        assertFalse(Files.exists(dir.resolve("model")));

        CliRun settled = CliRun.of("train", "--input", csv.toString(), "--layers", "2,4,2", "--epochs", "2", "--output",
                dir.resolve("model").toString());
        assertEquals(0, settled.exitCode(), settled.err());
        String metadata = Files.readString(dir.resolve("model/metadata.json"));
        assertTrue(metadata.contains("growing.csv\" : \"" + String.format("%,d", Files.size(csv)) + " bytes, modified "),
                "the model records its input file: " + metadata);
    }
}
