package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed by SIGKILL in the middle of training, with checkpoints on, and the same command
 * run again with {@code --resume}: the model is bitwise the model of a run never killed.
 */
class DriverLossTest {
    @TempDir
    Path dir;

    @Test
    void fullBatchGradientDescentKilledAndResumed() throws Exception {
        killedAndResumedEqualsUninterrupted(List.of("--rows", "3000", "--epochs", "120", "--seed", "5"), "2");
    }

    @Test
    void miniBatchAdamCosineWithEarlyStoppingKilledMidEpochAndResumed() throws Exception {
        killedAndResumedEqualsUninterrupted(List.of("--rows", "20000", "--epochs", "6", "--seed", "5",
                "--batch-size", "500", "--optimizer", "adam", "--lr", "0.01", "--lr-schedule", "cosine",
                "--validation-fraction", "0.2", "--early-stopping", "2"), "7s");
    }

    private void killedAndResumedEqualsUninterrupted(List<String> training, String every) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        Path model = dir.resolve("model");
        List<String> args = new ArrayList<>(List.of("train", "--master", "local[2]"));
        args.addAll(training);
        args.addAll(List.of("--checkpoint-dir", checkpoints.toString(), "--checkpoint-every", every,
                "--output", model.toString()));

        Process train = ChildJvm.sparkprop(dir.resolve("out.txt"), dir.resolve("err.txt"), args.toArray(String[]::new));
        try {
            awaitCheckpoint(checkpoints, train);
            train.destroyForcibly(); // SIGKILL: no handler runs, nothing is cleaned up
            assertTrue(train.waitFor(60, TimeUnit.SECONDS));
        } finally {
            train.destroyForcibly();
        }
        assertFalse(Files.exists(model), "the killed run wrote no model");

        args.add("--resume");
        CliRun resumed = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming from the newest, if any"), resumed.out());

        Path reference = dir.resolve("reference");
        List<String> plain = new ArrayList<>(List.of("train", "--master", "local[2]"));
        plain.addAll(training);
        plain.addAll(List.of("--output", reference.toString()));
        CliRun uninterrupted = CliRun.of(plain.toArray(String[]::new));
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());
        assertArrayEquals(Files.readAllBytes(reference.resolve("weights.bin")), Files.readAllBytes(model.resolve("weights.bin")),
                "the resumed model's weights are the uninterrupted run's, to the bit");
    }

    /** Waits until the run has written a complete checkpoint. */
    private static void awaitCheckpoint(Path checkpoints, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(checkpoints)) {
                try (Stream<Path> entries = Files.list(checkpoints)) {
                    if (entries.anyMatch(p -> p.getFileName().toString().matches("checkpoint-\\d{8}-\\d{9}"))) {
                        return;
                    }
                }
            }
            if (!process.isAlive()) {
                fail("the job ended before writing a checkpoint, exit code " + process.exitValue());
            }
            Thread.sleep(20);
        }
        fail("no checkpoint within two minutes");
    }
}
