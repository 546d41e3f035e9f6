package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train}'s checkpoint options: one clear line for every misuse, and nothing of the user's touched. */
class CheckpointOptionsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        LocalSpark.session();
    }

    private static CliRun train(String... more) {
        String[] args = Stream.concat(Stream.of("train", "--rows", "300", "--epochs", "3"), Stream.of(more))
                .toArray(String[]::new);
        return CliRun.of(args);
    }

    private static void assertRefused(CliRun run, int code, String message) {
        assertEquals(code, run.exitCode(), run.err());
        assertEquals(List.of("sparkprop: " + message), run.err().lines().toList());
    }

    @Test
    void resumeNeedsACheckpointDirectoryAndTheIntervalIsEpochsOrSteps() {
        assertRefused(train("--resume"), ExitCodes.USAGE, "--resume needs --checkpoint-dir, the directory of the run's "
                + "checkpoints");
        assertRefused(train("--resume-anyway"), ExitCodes.USAGE, "--resume-anyway needs --checkpoint-dir, the directory "
                + "of the run's checkpoints");
        String ckpt = dir.resolve("c").toString();
        assertRefused(train("--checkpoint-dir", ckpt, "--checkpoint-every", "2x"), ExitCodes.USAGE,
                "--checkpoint-every/--keep-checkpoints: the checkpoint interval is K epochs or Ks steps, e.g. 5 or 200s; "
                        + "got '2x'");
        assertRefused(train("--checkpoint-dir", ckpt, "--checkpoint-every", "0s"), ExitCodes.USAGE,
                "--checkpoint-every/--keep-checkpoints: the checkpoint interval must be at least 1, got 0");
        assertRefused(train("--checkpoint-dir", ckpt, "--keep-checkpoints", "0"), ExitCodes.USAGE,
                "--checkpoint-every/--keep-checkpoints: checkpoints to keep must be at least 1, got 0");
        assertFalse(Files.exists(Path.of(ckpt)));
    }

    @Test
    void aNewRunRefusesADirectoryWithCheckpointsAndResumeIsIdempotent() throws Exception {
        String ckpt = dir.resolve("c").toString();
        CliRun first = train("--checkpoint-dir", ckpt, "--output", dir.resolve("m1").toString());
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("checkpoints: every 1 epoch to " + ckpt + ", the newest 2 kept"), first.out());
        assertRefused(train("--checkpoint-dir", ckpt), ExitCodes.USAGE, "checkpoint directory " + ckpt
                + " already holds checkpoints (the newest after epoch 3): continue that run with --resume, or give an "
                + "empty checkpoint directory");
        // The job command of a scheduler: the same with or without checkpoints.
        CliRun again = train("--checkpoint-dir", ckpt, "--resume", "--output", dir.resolve("m2").toString());
        assertEquals(0, again.exitCode(), again.err());
        CliRun fresh = train("--checkpoint-dir", dir.resolve("new").toString(), "--resume", "--output",
                dir.resolve("m3").toString());
        assertEquals(0, fresh.exitCode(), fresh.err());
        byte[] weights = Files.readAllBytes(dir.resolve("m1/weights.bin"));
        assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(dir.resolve("m2/weights.bin"))));
        assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(dir.resolve("m3/weights.bin"))));
    }

    @Test
    void theCheckpointDirectoryMayHoldNothingElseAndNotBeTheModel() throws Exception {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        assertRefused(train("--checkpoint-dir", mine.toString()), ExitCodes.IO, "checkpoint directory " + mine
                + " is not empty and not a sparkprop checkpoint directory (no _sparkprop.json with \"format\": "
                + "\"sparkprop-checkpoints\"); give an empty or new directory");
        assertEquals(List.of(mine.resolve("notes.txt")), Files.list(mine).toList());

        Path model = dir.resolve("model");
        CliRun inside = train("--checkpoint-dir", model.resolve("ckpt").toString(), "--output", model.toString());
        assertEquals(ExitCodes.IO, inside.exitCode(), inside.err());
        assertTrue(inside.err().contains("lies inside the --output " + model), inside.err());
        assertFalse(Files.exists(model));
    }

    @Test
    void aResumeOntoChangedInputFilesOrSettingsIsRefusedNamingWhatDiffers() throws Exception {
        Path csv = dir.resolve("data.csv");
        StringBuilder rows = new StringBuilder("label,a,b\n");
        for (int i = 0; i < 300; i++) {
            rows.append(i % 2).append(',').append(i % 7).append(',').append(i % 5).append('\n');
        }
        Files.writeString(csv, rows);
        String ckpt = dir.resolve("c").toString();
        List<String> args = List.of("train", "--input", csv.toString(), "--layers", "2,4,2", "--epochs", "3",
                "--checkpoint-dir", ckpt, "--resume");
        assertEquals(0, CliRun.of(args.toArray(String[]::new)).exitCode());

        CliRun otherRate = CliRun.of(Stream.concat(args.stream(), Stream.of("--lr", "0.5")).toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, otherRate.exitCode(), otherRate.err());
        assertTrue(otherRate.err().contains("is of another run; its settings differ: learningRate was 1.0, now 0.5. "
                + "Resume with --resume-anyway if the change is meant"), otherRate.err());

        Files.writeString(csv, "1,1,1\n", java.nio.file.StandardOpenOption.APPEND);
        CliRun changed = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, changed.exitCode(), changed.err());
        assertEquals(1, changed.err().lines().count(), changed.err());
        assertTrue(changed.err().matches("(?s)sparkprop: the checkpoint resumed from is of another run; its data differ: "
                + "inputs\\.\\S*data\\.csv was \"[0-9,]+ bytes, modified \\S+\", now \"[0-9,]+ bytes, modified \\S+\"; "
                + "rows was 300, now 301; partitionRows was .*"), changed.err());
    }
}
