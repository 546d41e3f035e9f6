package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --quiet} as cron runs it through the scripts: a JVM of its own, started as
 * scripts/lib.sh starts it, so a JVM warning, a Spark WARN or an INFO line of ours on stderr fails it.
 */
class QuietRunTest {
    @TempDir
    Path dir;

    @Test
    void printsTheOutcomeLinesAndNothingElse() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Path model = dir.resolve("model");
        Process run = ChildJvm.submitted(out, err, "train", "--quiet", "--master", "local[2]", "--rows", "2000", "--epochs", "2", "--batch-size", "500",
                "--validation-fraction", "0.2", "--output", model.toString());
        assertTrue(run.waitFor(180, TimeUnit.SECONDS), "the run ends");
        assertEquals(0, run.exitValue(), Files.readString(err));
        assertEquals("", Files.readString(err), "stderr");
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("final: +1,6\\d\\d rows, loss .*"), lines.get(0));
        assertTrue(lines.get(1).matches("validation: +3\\d\\d rows, loss .*"), lines.get(1));
        assertEquals("model:   " + model, lines.get(2));
    }
}
