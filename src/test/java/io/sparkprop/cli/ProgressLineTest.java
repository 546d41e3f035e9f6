package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import io.sparkprop.spark.LocalSpark;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train's live line: on a terminal (a pseudo-terminal made by script(1)), never in a pipe. */
class ProgressLineTest {
    @TempDir
    Path dir;

    /** train on a CSV file of 4,000 rows (so that Spark's reader counts records), 4 steps an epoch. */
    private String[] train() throws Exception {
        StringBuilder csv = new StringBuilder("label,a,b\n");
        for (int i = 0; i < 4000; i++) {
            csv.append(i % 2).append(',').append(i % 7).append(',').append(i % 2 + 0.1 * (i % 5)).append('\n');
        }
        Path data = Files.writeString(dir.resolve("data.csv"), csv);
        return new String[] {"train", "--master", "local[2]", "--input", data.toString(), "--layers",
            "relu(8)|softmax(2)", "--epochs", "4", "--batch-size", "1000", "--lr", "0.5"};
    }

    @Test
    void showsPhasesStepsAndTheTimeLeftOnATerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed: no pseudo-terminal");
        String command = ChildJvm.command(train()).stream().map(ProgressLineTest::quoted).collect(Collectors.joining(" "));
        String out = run(List.of("/usr/bin/script", "-qefc", command, "/dev/null"));
        assertTrue(out.contains("reading and caching the data · "), out);
        assertTrue(out.matches("(?s).*epoch 1/4 · step \\d/4 · .*elapsed \\d:\\d\\d.*"), out);
        assertTrue(out.contains("evaluating the final weights · "), out);
        assertTrue(out.contains("epoch    4  loss"), "the summary lines stay: " + out);
    }

    @Test
    void isNotPrintedIntoAPipe() throws Exception {
        String out = run(ChildJvm.command(train()));
        assertTrue(out.contains("epoch    4  loss"), out);
        assertFalse(out.contains(" · "), out);
        assertFalse(out.contains("\r"), out);
    }

    @Test
    void countsTheRecordsSparksReadersRead() throws Exception {
        Path lines = Files.write(dir.resolve("lines.txt"), java.util.Collections.nCopies(2500, "1,2,3"));
        SparkContext sc = LocalSpark.session().sparkContext();
        ProgressLine.RowsRead read = new ProgressLine.RowsRead();
        sc.addSparkListener(read);
        try {
            assertEquals(2500, JavaSparkContext.fromSparkContext(sc).textFile(lines.toString(), 2).count());
            sc.listenerBus().waitUntilEmpty();
            assertEquals(2500, read.total());
            read.counting = false; // the epochs began: reading no longer counts
            JavaSparkContext.fromSparkContext(sc).textFile(lines.toString(), 2).count();
            sc.listenerBus().waitUntilEmpty();
            assertEquals(2500, read.total());
        } finally {
            sc.removeSparkListener(read);
        }
    }

    @Test
    void clockReadsLikeAWatch() {
        assertEquals("0:41", ProgressLine.clock(41.2));
        assertEquals("12:05", ProgressLine.clock(725));
        assertEquals("1:02:07", ProgressLine.clock(3727));
    }

    private String run(List<String> command) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = ChildJvm.start(command, out, err);
        try {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "train ends within two minutes");
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), Files.readString(err));
        return Files.readString(out);
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
