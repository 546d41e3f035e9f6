package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of a training run's checkpoints, on any file system Hadoop writes (local, HDFS, S3).
 *
 * <p>The directory holds the marker {@value OutputKind#MARKER} ({@code "format": "}{@value #FORMAT}{@code "})
 * and one subdirectory per checkpoint, {@code checkpoint-EEEEEEEE-SSSSSSSSS} for the epochs and
 * the steps of the next epoch done, each with {@value #STATE} (the run's state, opaque here) and
 * {@value #MANIFEST} (the position, what the caller describes the run by, and the state's size
 * and SHA-256). A checkpoint is written aside ({@code .checkpoint-….tmp-TOKEN}) and renamed into
 * place whole, manifest last, so a complete name always holds a complete checkpoint where the
 * rename is atomic (local disks, HDFS); where it is not (S3), {@link #newest} checks the state
 * against its manifest and skips, with a warning, a checkpoint that does not verify for the one
 * before it.
 *
 * <p>While open, the store holds the directory's lock: a second run on the same directory fails
 * at its start. It never touches anything in the directory but its own marker, lock and
 * checkpoints, and refuses a directory that holds anything else.
 */
public final class CheckpointStore implements AutoCloseable {
    public static final String FORMAT = "sparkprop-checkpoints";
    public static final String MANIFEST = "checkpoint.json";
    public static final String STATE = "state.bin";
    static final int VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{8})-(\\d{9})");
    private static final Pattern TEMPORARY = Pattern.compile("\\.checkpoint-\\d{8}-\\d{9}\\.tmp-[0-9a-f]+");

    private final String dir;
    private final FileSystem fs;
    private final OutputFileSystem files;
    private final Path root;
    private final OutputLock lock;

    private CheckpointStore(String dir, FileSystem fs, OutputFileSystem files, Path root, OutputLock lock) {
        this.dir = dir;
        this.fs = fs;
        this.files = files;
        this.root = root;
        this.lock = lock;
    }

    /** Where a checkpoint stands: after {@code epoch} whole epochs and {@code step} steps of the next. */
    public record Position(int epoch, int step) implements Comparable<Position> {
        public Position {
            if (epoch < 0 || step < 0) {
                throw new IllegalArgumentException("a checkpoint position is not negative, got epoch " + epoch
                        + ", step " + step);
            }
        }

        @Override
        public int compareTo(Position other) {
            return Comparator.comparingInt(Position::epoch).thenComparingInt(Position::step).compare(this, other);
        }

        String directoryName() {
            return String.format("checkpoint-%08d-%09d", epoch, step);
        }

        /** "epoch 12", or "epoch 12 + 30 steps" inside the next epoch: for messages. */
        public String describe() {
            return step == 0 ? "epoch " + epoch : "epoch " + epoch + " + " + step + " steps";
        }
    }

    /**
     * A verified checkpoint.
     *
     * @param description what the caller described the run by when it saved the checkpoint
     * @param state the state's bytes, as saved
     */
    public record Checkpoint(Position position, String path, JsonNode description, byte[] state) {
    }

    /**
     * Opens (creating it if need be) the checkpoint directory {@code dir} and takes its lock.
     *
     * @param inputs what the job reads: {@code dir} may not be, contain or lie inside any of them
     * @throws ModelStoreException when {@code dir} holds something else than checkpoints, or another
     *     job uses it
     */
    public static CheckpointStore open(Configuration hadoop, String dir, List<InputPath> inputs) {
        try {
            PathOverlap.refuse(hadoop, dir, inputs);
            Path given = new Path(dir);
            FileSystem fs = PendingOutput.raw(given.getFileSystem(hadoop));
            Path root = fs.makeQualified(given);
            OutputFileSystem files = OutputFileSystem.of(fs, hadoop);
            Path marker = new Path(root, OutputKind.MARKER);
            if (fs.exists(root)) {
                if (!fs.getFileStatus(root).isDirectory()) {
                    throw new ModelStoreException("checkpoint directory " + dir + " is a file");
                }
                FileStatus[] entries = fs.listStatus(root);
                if (entries.length > 0 && !FORMAT.equals(OutputKind.formatField(fs, marker).orElse(null))) {
                    throw new ModelStoreException("checkpoint directory " + dir + " is not empty and not a sparkprop "
                            + "checkpoint directory (no " + OutputKind.MARKER + " with \"format\": \"" + FORMAT
                            + "\"); give an empty or new directory");
                }
            }
            files.mkdirs(root);
            OutputLock lock = OutputLock.acquire(fs, files, PendingOutput.lockFile(root), OutputLock.Purpose.WRITE,
                    "checkpoint directory " + dir);
            try {
                if (!fs.exists(marker)) {
                    Path staged = new Path(root, "." + OutputKind.MARKER + "-" + UUID.randomUUID());
                    try (OutputStream out = files.create(staged)) {
                        out.write(("{\"format\": \"" + FORMAT + "\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    files.renameReplacing(staged, marker);
                }
                CheckpointStore store = new CheckpointStore(dir, fs, files, root, lock);
                store.removeTemporaries();
                return store;
            } catch (IOException | RuntimeException e) {
                lock.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory as given. */
    public String path() {
        return dir;
    }

    /**
     * Writes a checkpoint at {@code position} (replacing one there, which an earlier attempt of the
     * same run wrote) and then keeps only the newest {@code keep}.
     *
     * @param description JSON fields recorded in the manifest, e.g. what the run was
     */
    public void save(Position position, ObjectNode description, byte[] state, int keep) {
        Path target = new Path(root, position.directoryName());
        Path aside = new Path(root, "." + position.directoryName() + ".tmp-" + token());
        try {
            files.mkdirs(aside);
            try (OutputStream out = files.create(new Path(aside, STATE))) {
                out.write(state);
            }
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", FORMAT);
            manifest.put("version", VERSION);
            manifest.put("epoch", position.epoch());
            manifest.put("step", position.step());
            manifest.put("createdAt", Instant.now().toString());
            ObjectNode stateInfo = manifest.putObject("state");
            stateInfo.put("file", STATE);
            stateInfo.put("bytes", state.length);
            stateInfo.put("sha256", Sha256.hex(state));
            manifest.set("run", description);
            try (OutputStream out = files.create(new Path(aside, MANIFEST))) {
                JSON.writeValue(out, manifest);
            }
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!files.renameNoReplace(aside, target)) {
                throw new IOException(target + " appeared while the checkpoint was written");
            }
        } catch (IOException e) {
            deleteQuietly(aside);
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
        prune(keep);
    }

    /** The positions of the complete checkpoints (by name), newest first. */
    public List<Position> positions() {
        try {
            List<Position> positions = new ArrayList<>();
            for (FileStatus entry : fs.listStatus(root)) {
                Matcher name = NAME.matcher(entry.getPath().getName());
                if (entry.isDirectory() && name.matches()) {
                    positions.add(new Position(Integer.parseInt(name.group(1)), Integer.parseInt(name.group(2))));
                }
            }
            positions.sort(Comparator.reverseOrder());
            return positions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The newest checkpoint that verifies; each newer one that does not (damaged, truncated, an
     * unknown format) is skipped with a warning naming it and why.
     */
    public Optional<Checkpoint> newest() {
        for (Position position : positions()) {
            try {
                return Optional.of(read(position));
            } catch (ModelStoreException e) {
                LOG.warn("skipping checkpoint {}: {}; trying the one before", position.describe(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** @throws ModelStoreException naming the file and what does not verify */
    Checkpoint read(Position position) {
        Path checkpoint = new Path(root, position.directoryName());
        String where = checkpoint.toString();
        try {
            JsonNode manifest;
            try (InputStream in = fs.open(new Path(checkpoint, MANIFEST))) {
                manifest = JSON.readTree(in);
            } catch (FileNotFoundException e) {
                throw new ModelStoreException(where + "/" + MANIFEST + " is missing");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ModelStoreException(where + "/" + MANIFEST + " is not valid JSON: " + e.getOriginalMessage());
            }
            if (manifest == null || !FORMAT.equals(manifest.path("format").asText())
                    || manifest.path("version").asInt() != VERSION) {
                throw new ModelStoreException(where + "/" + MANIFEST + " is not a version-" + VERSION
                        + " sparkprop checkpoint");
            }
            if (manifest.path("epoch").asInt(-1) != position.epoch() || manifest.path("step").asInt(-1) != position.step()) {
                throw new ModelStoreException(where + "/" + MANIFEST + " records another position");
            }
            byte[] state;
            try (InputStream in = fs.open(new Path(checkpoint, STATE))) {
                state = in.readAllBytes();
            } catch (FileNotFoundException e) {
                throw new ModelStoreException(where + "/" + STATE + " is missing");
            }
            JsonNode info = manifest.path("state");
            if (state.length != info.path("bytes").asLong(-1)) {
                throw new ModelStoreException(where + "/" + STATE + " has " + state.length + " bytes, the manifest records "
                        + info.path("bytes").asText("none"));
            }
            if (!Sha256.hex(state).equals(info.path("sha256").asText())) {
                throw new ModelStoreException(where + "/" + STATE + " does not match the SHA-256 its manifest records");
            }
            return new Checkpoint(position, where, manifest.path("run"), state);
        } catch (IOException e) {
            throw new ModelStoreException("cannot read " + where + ": " + e.getMessage());
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints. */
    private void prune(int keep) {
        List<Position> positions = positions();
        for (Position old : positions.subList(Math.min(keep, positions.size()), positions.size())) {
            deleteQuietly(new Path(root, old.directoryName()));
        }
    }

    /** Removes what killed runs left half-written: they held the lock this store holds now, so they ended. */
    private void removeTemporaries() throws IOException {
        for (FileStatus entry : fs.listStatus(root)) {
            if (TEMPORARY.matcher(entry.getPath().getName()).matches()) {
                deleteQuietly(entry.getPath());
            }
        }
    }

    private void deleteQuietly(Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", path, e.toString());
        }
    }

    /** Releases the directory's lock. */
    @Override
    public void close() {
        lock.close();
    }

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "");
    }

}
