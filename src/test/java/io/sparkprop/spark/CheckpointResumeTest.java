package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.TestData;
import io.sparkprop.io.CheckpointStore;
import io.sparkprop.io.ModelStoreException;
import io.sparkprop.optim.Adam;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.Momentum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints and resume: a run stopped anywhere and resumed ends with the bits of a run never stopped. */
class CheckpointResumeTest {
    private static final Network NETWORK =
            Network.parse("sigmoid(8)|tanh(6)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final Block DATA = TestData.block(NETWORK, 90, 3);

    @TempDir
    Path dir;

    private static Dataset<Row> frame() {
        return LocalSpark.frame(DATA, 30, 25, 35);
    }

    private Checkpointing checkpoints(String every, Checkpointing.Resume resume) {
        return new Checkpointing(dir.resolve("ckpt").toString(), Checkpointing.Interval.parse(every), 2, resume);
    }

    /** A stop request that answers true from the {@code n}-th question on (asked before every step). */
    private static java.util.function.BooleanSupplier stopBeforeStep(int n) {
        AtomicInteger asked = new AtomicInteger();
        return () -> asked.incrementAndGet() >= n;
    }

    /** Trains with checkpoints, stopped before step {@code stopAt} (counting over the run), then resumed. */
    private TrainingResult stoppedAndResumed(TrainingConfig config, String every, int stopAt) {
        SparkTrainer first = new SparkTrainer(config).withCheckpoints(checkpoints(every, Checkpointing.Resume.NEVER),
                List.of()).withStopRequest(stopBeforeStep(stopAt));
        assertThrows(TrainingStoppedException.class, () -> first.fit(frame(), NETWORK));
        return new SparkTrainer(config).withCheckpoints(checkpoints(every, Checkpointing.Resume.IF_PRESENT), List.of())
                .fit(frame(), NETWORK);
    }

    private static void assertSameRun(TrainingResult expected, TrainingResult actual) {
        assertArrayEquals(expected.model().parameters(), actual.model().parameters(), "weights, to the bit");
        assertEquals(expected.keptEpoch(), actual.keptEpoch());
        assertEquals(expected.history().size(), actual.history().size());
        for (int e = 0; e < expected.history().size(); e++) {
            assertEquals(expected.history().get(e).loss(), actual.history().get(e).loss(), "epoch " + (e + 1) + " loss");
            assertEquals(expected.history().get(e).learningRate(), actual.history().get(e).learningRate());
        }
    }

    @Test
    void fullBatchMomentumStoppedAfterACheckpointResumesToTheSameBits() {
        TrainingConfig config = new TrainingConfig(7, 0.5, 3, 0, 16, 2).withOptimizer(new Momentum(0.9));
        TrainingResult reference = new SparkTrainer(config).fit(frame(), NETWORK);
        // Checkpoints after epochs 2 and 4; stopped before epoch 6's step: the stop writes one after epoch 5.
        TrainingResult resumed = stoppedAndResumed(config, "2", 6);
        assertSameRun(reference, resumed);
    }

    @Test
    void miniBatchAdamWithCosineValidationAndEarlyStoppingResumesMidEpochToTheSameBits() throws IOException {
        TrainingConfig config = new TrainingConfig(12, 0.05, 5, 0, 8, 2).withBatchSize(20)
                .withOptimizer(new Adam()).withSchedule(new LearningRateSchedule.Cosine(0.001))
                .withValidationFraction(0.2).withPatience(2);
        TrainingResult reference = new SparkTrainer(config).fit(frame(), NETWORK);
        int steps = reference.history().get(0).steps();
        assertTrue(steps >= 3, "mini-batches: " + steps + " steps per epoch");
        assertTrue(reference.history().size() < 12 && reference.keptEpoch() < reference.history().size(),
                "early stopping ended the run and kept an earlier epoch: " + reference.keptEpoch() + " of "
                        + reference.history().size());
        // Every 3 steps; killed in the middle of epoch 3: the stop's own checkpoint is mid-epoch too.
        TrainingResult resumed = stoppedAndResumed(config, "3s", 2 * steps + 2);
        assertSameRun(reference, resumed);
        assertEquals(2, checkpointNames().size(), "the newest 2 are kept");
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedForThePreviousOne() throws IOException {
        TrainingConfig config = new TrainingConfig(6, 0.5, 3, 0, 16, 2);
        TrainingResult reference = new SparkTrainer(config).fit(frame(), NETWORK);
        SparkTrainer first = new SparkTrainer(config).withCheckpoints(checkpoints("1", Checkpointing.Resume.NEVER),
                List.of()).withStopRequest(stopBeforeStep(5));
        assertThrows(TrainingStoppedException.class, () -> first.fit(frame(), NETWORK));
        List<String> names = checkpointNames();
        assertEquals(List.of("checkpoint-00000003-000000000", "checkpoint-00000004-000000000"), names);
        Path newest = dir.resolve("ckpt").resolve(names.get(1)).resolve(CheckpointStore.STATE);
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated
        String warnings;
        TrainingResult resumed;
        try (LogCapture log = new LogCapture(CheckpointStore.class.getName(), Level.WARN)) {
            resumed = new SparkTrainer(config).withCheckpoints(checkpoints("1", Checkpointing.Resume.IF_PRESENT),
                    List.of()).fit(frame(), NETWORK);
            warnings = log.text();
        }
        assertSameRun(reference, resumed);
        assertTrue(warnings.contains("skipping checkpoint epoch 4: ") && warnings.contains("state.bin has "),
                warnings);
    }

    @Test
    void aCheckpointOfOtherSettingsOrDataIsRefusedNamingTheDifferenceUnlessResumedAnyway() {
        TrainingConfig config = new TrainingConfig(6, 0.5, 3, 0, 16, 2);
        SparkTrainer first = new SparkTrainer(config).withCheckpoints(checkpoints("1", Checkpointing.Resume.NEVER),
                List.of()).withStopRequest(stopBeforeStep(3));
        assertThrows(TrainingStoppedException.class, () -> first.fit(frame(), NETWORK));

        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () ->
                new SparkTrainer(new TrainingConfig(6, 0.25, 3, 0, 16, 2)).withCheckpoints(
                        checkpoints("1", Checkpointing.Resume.IF_PRESENT), List.of()).fit(frame(), NETWORK));
        assertTrue(lr.getMessage().contains("its settings differ: learningRate was 0.5, now 0.25"), lr.getMessage());

        IllegalArgumentException data = assertThrows(IllegalArgumentException.class, () ->
                new SparkTrainer(config).withCheckpoints(checkpoints("1", Checkpointing.Resume.IF_PRESENT), List.of())
                        .fit(LocalSpark.frame(TestData.block(NETWORK, 80, 3), 30, 25, 25), NETWORK));
        assertTrue(data.getMessage().contains("its data differ: rows was 90, now 80"), data.getMessage());

        TrainingResult anyway = new SparkTrainer(new TrainingConfig(8, 0.5, 3, 0, 16, 2)).withCheckpoints(
                checkpoints("1", Checkpointing.Resume.ANYWAY), List.of()).fit(frame(), NETWORK);
        assertEquals(8, anyway.history().size(), "continued to the new number of epochs");

        IllegalArgumentException fresh = assertThrows(IllegalArgumentException.class, () ->
                new SparkTrainer(config).withCheckpoints(checkpoints("1", Checkpointing.Resume.NEVER), List.of())
                        .fit(frame(), NETWORK));
        assertTrue(fresh.getMessage().contains("already holds checkpoints (the newest after epoch 8)"),
                fresh.getMessage());
    }

    @Test
    void aDirectoryHoldingSomethingElseIsNeverUsed() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("ckpt"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        ModelStoreException e = assertThrows(ModelStoreException.class, () ->
                new SparkTrainer(TrainingConfig.of(2, 0.5)).withCheckpoints(
                        checkpoints("1", Checkpointing.Resume.IF_PRESENT), List.of()).fit(frame(), NETWORK));
        assertTrue(e.getMessage().contains("is not empty and not a sparkprop checkpoint directory"), e.getMessage());
        assertEquals("mine", Files.readString(foreign.resolve("notes.txt")));
        assertEquals(1, Files.list(foreign).count());
    }

    private List<String> checkpointNames() throws IOException {
        try (Stream<Path> entries = Files.list(dir.resolve("ckpt"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint-")).sorted()
                    .toList();
        }
    }
}
