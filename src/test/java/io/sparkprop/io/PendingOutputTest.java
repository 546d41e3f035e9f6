package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reservations on a real local disk: refusals, atomic replacement, crash recovery, concurrent writers. */
class PendingOutputTest {
    private static final Network NETWORK = Network.parse("relu(5)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
    private static final TrainingRecord RECORD = new TrainingRecord(Map.of("data", "test"), Map.of(), List.of());

    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();
    private final ModelStore store = new ModelStore(conf);

    /** A model whose every parameter is {@code value}: which save a reader saw is then plain. */
    private static Model model(double value) {
        double[] params = new double[NETWORK.parameterCount()];
        Arrays.fill(params, value);
        return new Model(NETWORK, params);
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    private List<String> entries(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void overwriteRefusesAUserDirectoryAndLeavesItsFilesUntouched() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("notes.txt"), "mine");
        Files.createDirectories(work.resolve("photos"));
        ModelStoreException e = assertThrows(ModelStoreException.class,
                () -> store.save(model(1), RECORD, work.toString(), true));
        assertTrue(e.getMessage().endsWith("work already exists and is not a sparkprop model (it holds notes.txt, "
                + "photos/); sparkprop replaces only its own outputs and empty directories: choose another output"),
                e.getMessage());
        assertEquals("mine", Files.readString(work.resolve("notes.txt")));
        assertEquals(List.of("notes.txt", "photos"), entries(work));
        assertEquals(List.of("work"), entries(dir), "no lock or temporary left");

        // A model's files plus one of the user's: still not a model.
        store.save(model(1), RECORD, path("m"), false);
        Files.writeString(dir.resolve("m/results.csv"), "mine");
        e = assertThrows(ModelStoreException.class, () -> store.save(model(2), RECORD, path("m"), true));
        assertTrue(e.getMessage().contains("(it holds results.csv)"), e.getMessage());
        assertEquals(1.0, store.load(path("m")).parameters()[0]);

        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("metadata.json"), "{\"format\": \"someone-elses\"}");
        e = assertThrows(ModelStoreException.class, () -> store.save(model(2), RECORD, other.toString(), true));
        assertTrue(e.getMessage().contains("(its metadata.json has format \"someone-elses\")"), e.getMessage());

        Path file = Files.writeString(dir.resolve("file"), "mine");
        e = assertThrows(ModelStoreException.class, () -> store.save(model(2), RECORD, file.toString(), true));
        assertTrue(e.getMessage().contains("(it is a file)"), e.getMessage());
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void overwriteReplacesAModelOrAnEmptyDirectory() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        ModelStoreException e = assertThrows(ModelStoreException.class,
                () -> store.save(model(1), RECORD, path("empty"), false));
        assertTrue(e.getMessage().endsWith("empty already exists; pass --overwrite to replace it"), e.getMessage());
        store.save(model(1), RECORD, path("empty"), true);
        assertEquals(1.0, store.load(path("empty")).parameters()[0]);
        store.save(model(2), RECORD, path("empty"), true);
        assertEquals(2.0, store.load(path("empty")).parameters()[0]);
        assertEquals(List.of("metadata.json", "metrics.json", "weights.bin"), entries(dir.resolve("empty")));
        assertEquals(List.of("empty"), entries(dir));
    }

    @Test
    void predictionsAndReportsAreRecognisedByTheirFormat() throws IOException {
        Path predictions = Files.createDirectories(dir.resolve("predictions"));
        Files.writeString(predictions.resolve("part-00000.csv"), "prediction\n1\n");
        Files.writeString(predictions.resolve("_SUCCESS"), "");
        Files.writeString(predictions.resolve("._SUCCESS.crc"), "");
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> reserve(OutputKind.PREDICTIONS,
                predictions.toString()).close());
        assertTrue(e.getMessage().contains("(it has no readable _sparkprop.json)"), e.getMessage());
        Files.writeString(predictions.resolve(OutputKind.MARKER), "{\"format\": \"sparkprop-predictions\"}");
        reserve(OutputKind.PREDICTIONS, predictions.toString()).close();

        Path report = Files.writeString(dir.resolve("report.json"), "{\"accuracy\": 0.9}");
        e = assertThrows(ModelStoreException.class, () -> reserve(OutputKind.EVALUATION, report.toString()).close());
        assertTrue(e.getMessage().contains("is not a report written by sparkprop evaluate (it has no \"format\": "
                + "\"sparkprop-evaluation\"); sparkprop replaces only its own outputs and empty files"), e.getMessage());
        Files.writeString(report, "");
        try (PendingOutput output = reserve(OutputKind.EVALUATION, report.toString())) {
            JsonFile.write(output, Map.of("accuracy", 0.5));
        }
        try (PendingOutput output = reserve(OutputKind.EVALUATION, report.toString())) {
            JsonFile.write(output, Map.of("accuracy", 0.75));
        }
        assertEquals("{\n  \"format\" : \"sparkprop-evaluation\",\n  \"formatVersion\" : 1,\n  \"accuracy\" : 0.75\n}",
                Files.readString(report));
        assertEquals(List.of("predictions", "report.json"), entries(dir));
    }

    private PendingOutput reserve(OutputKind kind, String output) {
        return PendingOutput.reserve(conf, kind, output, true, List.of());
    }

    @Test
    void refusesAnOutputThatIsContainsOrLiesInsideAnInput() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path csv = Files.writeString(data.resolve("train.csv"), "1,2\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), data);
        List<InputPath> inputs = List.of(new InputPath("--input", csv.toString()),
                new InputPath("--model", path("models/m")));
        assertRefused(csv.toString(), inputs, "output " + csv + " is the --input " + csv);
        assertRefused(path("data"), inputs, "output " + path("data") + " contains the --input " + csv);
        assertRefused(csv + "/out", inputs, "lies inside the --input");
        assertRefused(link.resolve("train.csv").toString(), inputs, "is the --input");
        assertRefused("file:" + dir.resolve("models/m/../m/new"), inputs, "lies inside the --model " + path("models/m"));
        assertRefused(path("data/predictions"), List.of(new InputPath("--input", dir.resolve("da*").toString())),
                "lies inside the --input");
        assertEquals(List.of("1,2"), Files.readAllLines(csv));
        assertEquals(List.of("data", "link"), entries(dir), "nothing created");

        PendingOutput.reserve(conf, OutputKind.PREDICTIONS, path("data-predictions"), false, inputs).close();
    }

    private void assertRefused(String output, List<InputPath> inputs, String message) {
        ModelStoreException e = assertThrows(ModelStoreException.class,
                () -> PendingOutput.reserve(conf, OutputKind.PREDICTIONS, output, true, inputs).close());
        assertTrue(e.getMessage().contains(message) && e.getMessage().endsWith("; choose an output outside the "
                + "command's inputs"), e.getMessage());
    }

    @Test
    void aReaderSeesTheCompleteOldOrNewModelDuringRepeatedReplacements() throws Exception {
        String path = path("m");
        store.save(model(0), RECORD, path, false);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger loads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    // A listing counts when the path held the same directory before and after it: a
                    // directory replaced meanwhile is the old model, being deleted after the swap.
                    Object before = Files.readAttributes(dir.resolve("m"), BasicFileAttributes.class).fileKey();
                    List<String> files = entries(dir.resolve("m"));
                    Object after = Files.readAttributes(dir.resolve("m"), BasicFileAttributes.class).fileKey();
                    if (before.equals(after) && !files.equals(List.of("metadata.json", "metrics.json", "weights.bin"))) {
                        problems.add("listing " + files);
                    }
                } catch (NoSuchFileException e) {
                    // between the two renames: no model at all is allowed
                } catch (IOException e) {
                    problems.add(e.toString());
                }
                try {
                    double[] params = store.load(path).parameters();
                    if (Arrays.stream(params).distinct().count() != 1) {
                        problems.add("a mix of saves: " + Arrays.toString(params));
                    }
                    loads.incrementAndGet();
                } catch (RuntimeException e) {
                    problems.add(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 1; i <= 40; i++) {
            store.save(model(i), RECORD, path, true);
            Thread.sleep(5);
        }
        done.set(true);
        reader.join();
        assertEquals(List.of(), new ArrayList<>(problems));
        assertTrue(loads.get() > 10, "the reader read " + loads.get() + " times");
        assertEquals(40.0, store.load(path).parameters()[0]);
        assertEquals(List.of("m"), entries(dir));
    }

    /** The state a job killed between its two renames leaves: no model, the new and old ones aside, its lock. */
    private String killedBetweenTheRenames(boolean newOneComplete) throws IOException {
        store.save(model(1), RECORD, path("staging"), false);
        store.save(model(2), RECORD, path("m"), false);
        String token = UUID.randomUUID().toString();
        Files.move(dir.resolve("m"), dir.resolve(".m.old-" + token));
        if (newOneComplete) {
            Files.move(dir.resolve("staging"), dir.resolve(".m.new-" + token));
        } else {
            Files.move(dir.resolve("staging"), dir.resolve(".m.tmp-" + token));
        }
        writeLock(dir.resolve(".m.lock"), deadProcessOnThisMachine(token));
        return path("m");
    }

    @Test
    void theNextLoadRestoresAModelLeftBetweenTheTwoRenames() throws IOException {
        String path = killedBetweenTheRenames(true);
        assertEquals(1.0, store.load(path).parameters()[0], "rolled forward to the complete new model");
        assertEquals(List.of("m"), entries(dir), "lock and temporaries of the dead job removed");

        Files.delete(dir.resolve("m/metadata.json"));
        Files.delete(dir.resolve("m/weights.bin"));
        Files.delete(dir.resolve("m/metrics.json"));
        Files.delete(dir.resolve("m"));
        path = killedBetweenTheRenames(false);
        assertEquals(2.0, store.load(path).parameters()[0], "the new one was incomplete: the old one is back");
        assertEquals(List.of("m"), entries(dir));
    }

    @Test
    void theNextRunRestoresTheModelBeforeJudgingTheOutput() throws IOException {
        String path = killedBetweenTheRenames(true);
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.save(model(3), RECORD, path, false));
        assertTrue(e.getMessage().endsWith("m already exists; pass --overwrite to replace it"), e.getMessage());
        assertEquals(List.of("m"), entries(dir));
        assertEquals(1.0, store.load(path).parameters()[0]);
    }

    @Test
    void ofTwoRacingWritersOneWinsAndTheOtherFailsAtItsStart() throws Exception {
        for (int round = 0; round < 10; round++) {
            String path = path("race-" + round);
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch attempted = new CountDownLatch(2);
            List<Object> outcomes = Collections.synchronizedList(new ArrayList<>());
            List<Thread> writers = new ArrayList<>();
            for (int w = 1; w <= 2; w++) {
                double value = w;
                Thread writer = new Thread(() -> {
                    PendingOutput output = null;
                    try {
                        start.await();
                        output = store.reserve(path, true, List.of());
                    } catch (ModelStoreException e) {
                        outcomes.add(e);
                    } catch (InterruptedException e) {
                        return;
                    } finally {
                        attempted.countDown();
                    }
                    if (output != null) {
                        try (PendingOutput reserved = output) {
                            attempted.await(); // hold the lock until the other writer has tried
                            store.save(model(value), RECORD, reserved);
                            outcomes.add(value);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                writer.start();
                writers.add(writer);
            }
            start.countDown();
            for (Thread writer : writers) {
                writer.join();
            }
            List<Object> wins = outcomes.stream().filter(o -> o instanceof Double).toList();
            List<Object> losses = outcomes.stream().filter(o -> o instanceof ModelStoreException).toList();
            assertEquals(1, wins.size(), outcomes.toString());
            assertEquals(1, losses.size(), outcomes.toString());
            assertTrue(((Exception) losses.get(0)).getMessage().contains("is being written by another job (pid "
                    + ProcessHandle.current().pid()), losses.toString());
            double[] params = store.load(path).parameters();
            assertArrayEquals(model((Double) wins.get(0)).parameters(), params);
        }
    }

    @Test
    void aLiveWritersTemporaryIsNeverTouched() throws IOException {
        String path = path("m");
        try (PendingOutput first = store.reserve(path, true, List.of())) {
            FileSystem fs = first.fileSystem();
            try (OutputStream out = first.create("partial")) {
                out.write(new byte[] {1, 2, 3});
            }
            ModelStoreException e = assertThrows(ModelStoreException.class,
                    () -> store.save(model(2), RECORD, path, true));
            assertTrue(e.getMessage().contains("m is being written by another job"), e.getMessage());
            assertTrue(Files.exists(Path.of(first.aside().toUri()).resolve("partial")));
            fs.delete(new org.apache.hadoop.fs.Path(first.aside(), "partial"), false);
            store.save(model(1), RECORD, first);
        }
        assertEquals(1.0, store.load(path).parameters()[0]);

        // Another host's lock is live while its heartbeat is fresh, abandoned after STALE_AFTER.
        Path lock = dir.resolve(".m.lock");
        Path leftover = Files.createDirectories(dir.resolve(".m.tmp-" + UUID.randomUUID()));
        OutputLock.Owner remote = new OutputLock.Owner(UUID.randomUUID().toString(), "elsewhere", "", 4242,
                Optional.empty(), OutputLock.Purpose.WRITE);
        writeLock(lock, remote);
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.save(model(2), RECORD, path, true));
        assertTrue(e.getMessage().contains("(pid 4242 on elsewhere, lock touched 0 s ago)"), e.getMessage());
        assertTrue(Files.exists(leftover));
        Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - OutputLock.STALE_AFTER.toMillis() - 60_000));
        store.save(model(2), RECORD, path, true);
        assertEquals(2.0, store.load(path).parameters()[0]);
        assertEquals(List.of("m"), entries(dir), "the abandoned lock and temporary are gone");
    }

    @Test
    void aDeadWritersLockAndTemporariesAreRemoved() throws IOException {
        Path leftover = Files.createDirectories(dir.resolve(".m.tmp-" + UUID.randomUUID()));
        Files.writeString(leftover.resolve("weights.bin"), "half");
        writeLock(dir.resolve(".m.lock"), deadProcessOnThisMachine(UUID.randomUUID().toString()));
        store.save(model(1), RECORD, path("m"), false);
        assertEquals(List.of("m"), entries(dir));
    }

    @Test
    void aFailedWriterLeavesNothingBehindNotEvenTheDirectoriesItCreated() throws IOException {
        String path = dir.resolve("a/b/m").toString();
        try (PendingOutput output = store.reserve(path, false, List.of())) {
            output.create("weights.bin").close();
            assertTrue(Files.exists(dir.resolve("a/b/.m.lock")));
            // the job fails here: no commit
        }
        assertEquals(List.of(), entries(dir));
    }

    @Test
    void hadoopsFileContextRenamesReplaceTheSameWay() throws IOException {
        String path = path("m");
        FileSystem fs = PendingOutput.raw(FileSystem.get(conf));
        for (int i = 1; i <= 2; i++) {
            try (PendingOutput output = PendingOutput.reserve(conf, OutputKind.MODEL, path, true, List.of(),
                    OutputFileSystem.hadoop(fs, conf))) {
                store.save(model(i), RECORD, output);
            }
            assertEquals(i, store.load(path).parameters()[0]);
        }
        try (PendingOutput output = PendingOutput.reserve(conf, OutputKind.EVALUATION, path("r.json"), true, List.of(),
                OutputFileSystem.hadoop(fs, conf))) {
            JsonFile.write(output, Map.of("n", 1));
        }
        try (PendingOutput output = PendingOutput.reserve(conf, OutputKind.EVALUATION, path("r.json"), true, List.of(),
                OutputFileSystem.hadoop(fs, conf))) {
            JsonFile.write(output, Map.of("n", 2));
        }
        assertTrue(Files.readString(dir.resolve("r.json")).contains("\"n\" : 2"));
        assertEquals(List.of("m", "r.json"), entries(dir));
    }

    /** An owner on this machine whose process has exited. */
    private static OutputLock.Owner deadProcessOnThisMachine(String token) throws IOException {
        Process process = new ProcessBuilder("true").start();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        OutputLock.Owner me = OutputLock.Owner.current(OutputLock.Purpose.WRITE);
        assertFalse(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false));
        return new OutputLock.Owner(token, me.host(), me.boot(), process.pid(), Optional.empty(),
                OutputLock.Purpose.WRITE);
    }

    private void writeLock(Path lock, OutputLock.Owner owner) throws IOException {
        FileSystem fs = PendingOutput.raw(FileSystem.get(conf));
        OutputLock.write(OutputFileSystem.of(fs, conf), new org.apache.hadoop.fs.Path(lock.toUri()), owner);
    }
}
