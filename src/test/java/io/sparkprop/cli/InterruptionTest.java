package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM and SIGINT sent to a real {@code sparkprop train} process. */
class InterruptionTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsTrainingWithOneLineAndExit143() throws Exception {
        stopsCleanly("TERM", 143);
    }

    @Test
    void sigintStopsTrainingWithOneLineAndExit130() throws Exception {
        stopsCleanly("INT", 130);
    }

    private void stopsCleanly(String signal, int exitCode) throws Exception {
        Path models = Files.createDirectory(dir.resolve("models"));
        Path model = models.resolve("model");
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process train = ChildJvm.sparkprop(out, err, "train", "--master", "local[2]", "--rows", "2000", "--epochs", "1000000",
                "--output", model.toString());
        try {
            awaitLine(out, "epoch    3 ", train);
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(train.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(train.waitFor(60, TimeUnit.SECONDS), "the job stops within a minute");
        } finally {
            train.destroyForcibly();
        }
        List<String> messages = Files.readAllLines(err).stream().filter(l -> l.startsWith("sparkprop:")).toList();
        assertEquals(exitCode, train.exitValue(), String.join("\n", Files.readAllLines(err)));
        assertEquals(1, messages.size(), messages.toString());
        assertTrue(messages.get(0).matches("sparkprop: interrupted at epoch \\d+, nothing written"), messages.get(0));
        String stderr = Files.readString(err);
        assertTrue(!stderr.contains("\tat ") && !stderr.contains("Exception"), "no stack trace: " + stderr);
        try (Stream<Path> left = Files.list(models)) {
            assertEquals(List.of(), left.toList(), "no model and no temporaries");
        }
    }

    private static void awaitLine(Path file, String start, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).stream().anyMatch(l -> l.startsWith(start))) {
                return;
            }
            if (!process.isAlive()) {
                fail("the job ended before '" + start + "' with exit code " + process.exitValue());
            }
            Thread.sleep(100);
        }
        fail("no line '" + start + "' within two minutes");
    }
}
