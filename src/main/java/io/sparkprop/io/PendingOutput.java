package io.sparkprop.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output reserved before a command starts its work, written aside and moved into place whole.
 *
 * <p>{@link #reserve} refuses an output that is, contains or lies inside one of the command's
 * inputs; takes the output's {@link OutputLock}, so a second job writing the same output fails at
 * once; puts back an output that a killed job left between its two renames; removes the
 * temporaries of jobs that provably ended; and refuses an existing path unless {@code overwrite}
 * is set and the path is an output of the same {@link OutputKind} or an empty directory (or empty
 * file). All of this happens before any work.
 *
 * <p>The command then writes to {@link #aside()}, a sibling {@code .NAME.tmp-TOKEN}, and calls
 * {@link #commit()}. A file replaces the old one by one atomic rename. A directory is first
 * renamed to {@code .NAME.new-TOKEN} (complete), the old directory to {@code .NAME.old-TOKEN},
 * the new one to {@code NAME}, and only then is the old one deleted: a reader finds the complete
 * old output, the complete new one, or (between the two renames) none, never a partial one. A
 * job killed between the renames leaves {@code NAME} missing and the complete {@code .new} (or
 * {@code .old}) beside it; the next reservation, or the next {@link #restore} by a reader, renames
 * it back into place.
 *
 * <p>{@link #close()} releases the lock and, unless committed, removes the temporaries and the
 * parent directories the reservation created: a failed command leaves nothing behind.
 */
public final class PendingOutput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PendingOutput.class);
    private static final ObjectMapper MARKER_JSON = new ObjectMapper().enable(
            com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private final OutputKind kind;
    private final String output;
    private final boolean overwrite;
    private final FileSystem fs;
    private final OutputFileSystem files;
    private final Path target;
    private final List<Path> createdDirectories;
    private final OutputLock lock;
    private boolean committed;

    private PendingOutput(OutputKind kind, String output, boolean overwrite, FileSystem fs, OutputFileSystem files,
                          Path target, List<Path> createdDirectories, OutputLock lock) {
        this.kind = kind;
        this.output = output;
        this.overwrite = overwrite;
        this.fs = fs;
        this.files = files;
        this.target = target;
        this.createdDirectories = createdDirectories;
        this.lock = lock;
    }

    /**
     * Reserves {@code output} for a command that reads {@code inputs}.
     *
     * @param overwrite an existing output of this kind (or an empty directory or file) may be replaced
     * @throws ModelStoreException when the output may not be written, with the reason
     */
    public static PendingOutput reserve(Configuration conf, OutputKind kind, String output, boolean overwrite,
                                        List<InputPath> inputs) {
        return reserve(conf, kind, output, overwrite, inputs, null);
    }

    /** Like {@link #reserve(Configuration, OutputKind, String, boolean, List)} with chosen renames (tests). */
    static PendingOutput reserve(Configuration conf, OutputKind kind, String output, boolean overwrite,
                                 List<InputPath> inputs, OutputFileSystem chosenFiles) {
        try {
            PathOverlap.refuse(conf, output, inputs);
            Path given = new Path(output);
            FileSystem fs = raw(given.getFileSystem(conf));
            Path target = fs.makeQualified(given);
            Path parent = target.getParent();
            if (parent == null) {
                throw new ModelStoreException("output " + output + " is the root of a file system; choose a path "
                        + "below it");
            }
            OutputFileSystem files = chosenFiles != null ? chosenFiles : OutputFileSystem.of(fs, conf);
            List<Path> created = missingAncestors(fs, parent);
            files.mkdirs(parent);
            OutputLock lock;
            try {
                lock = OutputLock.acquire(fs, files, lockFile(target), OutputLock.Purpose.WRITE, output);
            } catch (IOException | RuntimeException e) {
                removeIfEmpty(fs, created);
                throw e;
            }
            PendingOutput pending = new PendingOutput(kind, output, overwrite, fs, files, target, created, lock);
            try {
                restoreInterrupted(fs, files, target, output);
                pending.removeAbandoned();
                pending.requireReplaceable();
            } catch (IOException | RuntimeException e) {
                pending.close();
                throw e;
            }
            return pending;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        }
    }

    /**
     * For readers of {@code output}: when it is missing because a job was killed between the two
     * renames of a replacement, renames the complete output it left back into place. Waits (up to
     * {@link OutputLock#RESTORE_WAIT}) for a live writer that is between its renames. Does nothing
     * when the output exists or nothing was left, or when the reader may not write there.
     */
    public static void restore(Configuration conf, String output) {
        try {
            Path given = new Path(output);
            FileSystem fs = raw(given.getFileSystem(conf));
            Path target = fs.makeQualified(given);
            if (target.getParent() == null || fs.exists(target)
                    || (latest(fs, target, "new").isEmpty() && latest(fs, target, "old").isEmpty())) {
                return;
            }
            OutputFileSystem files = OutputFileSystem.of(fs, conf);
            long deadline = System.nanoTime() + OutputLock.RESTORE_WAIT.toNanos();
            while (true) {
                try (OutputLock lock = OutputLock.acquire(fs, files, lockFile(target), OutputLock.Purpose.RESTORE,
                        output)) {
                    restoreInterrupted(fs, files, target, output);
                    removeAbandoned(fs, target, lock.owner().token());
                    return;
                } catch (ModelStoreException busy) {
                    if (fs.exists(target)) {
                        return; // the writer finished
                    }
                    if (System.nanoTime() > deadline) {
                        throw busy;
                    }
                    OutputLock.pause();
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot restore {}: {}", output, e.toString()); // the reader reports what is missing
        }
    }

    /** The output as the user named it. */
    public String path() {
        return output;
    }

    /** What is being written. */
    public OutputKind kind() {
        return kind;
    }

    /** The file system of the output (for a local disk, without Hadoop's {@code .crc} side files). */
    public FileSystem fileSystem() {
        return fs;
    }

    /**
     * Creates the file {@code name} in the directory written aside (a directory output), creating
     * that directory on first use. The name may be a relative path ({@code data/weights.bin}):
     * its directories are created too.
     */
    public OutputStream create(String name) throws IOException {
        if (!kind.directory()) {
            throw new IllegalStateException(output + " is one file, not a directory");
        }
        Path file = new Path(aside(), name);
        files.mkdirs(file.getParent());
        return files.create(file);
    }

    /** Creates the file written aside (a one-file output). */
    public OutputStream create() throws IOException {
        if (kind.directory()) {
            throw new IllegalStateException(output + " is a directory, not one file");
        }
        return files.create(aside());
    }

    /**
     * Where to write the output: a sibling of the final path, which does not exist yet (so that
     * Spark's writers, which refuse an existing directory, can create it).
     */
    public Path aside() {
        return sibling(target, "tmp", lock.owner().token());
    }

    /**
     * Moves the output written to {@link #aside()} into place, replacing the old one as the class
     * documentation describes.
     *
     * @throws ModelStoreException when this job lost its lock, or the path changed into something
     *         that may not be replaced while the job ran
     */
    public void commit() {
        try {
            lock.requireHeld(output);
            if (!fs.exists(aside())) {
                throw new IllegalStateException("nothing was written to " + aside());
            }
            if (kind.directory()) {
                commitDirectory();
            } else if (fs.exists(target)) {
                requireReplaceable();
                files.renameReplacing(aside(), target);
            } else if (!files.renameNoReplace(aside(), target)) {
                throw appeared();
            }
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        }
    }

    private void commitDirectory() throws IOException {
        String token = lock.owner().token();
        Path complete = sibling(target, "new", token);
        Path old = sibling(target, "old", token);
        if (!files.renameNoReplace(aside(), complete)) {
            throw new IOException(complete + " exists");
        }
        boolean replacing = fs.exists(target);
        if (replacing) {
            requireReplaceable();
            if (!files.renameNoReplace(target, old)) {
                throw new IOException(old + " exists");
            }
        }
        boolean placed = false;
        try {
            placed = files.renameNoReplace(complete, target);
        } finally {
            if (!placed && replacing) {
                putBack(old);
            }
        }
        if (!placed) {
            throw appeared();
        }
        if (replacing) {
            try {
                fs.delete(old, true);
            } catch (IOException e) {
                LOG.warn("cannot remove the replaced {} (the next run removes it): {}", old, e.toString());
            }
        }
    }

    /**
     * Writes the marker {@value OutputKind#MARKER} of a directory output (its kind's format, the
     * version of the marker, when it was written and {@code provenance}), then {@link #commit}s.
     */
    public void commitWithMarker(Map<String, String> provenance) {
        ObjectNode marker = MARKER_JSON.createObjectNode();
        marker.put("format", kind.format());
        marker.put("formatVersion", JsonFile.FORMAT_VERSION);
        marker.put("createdAt", Instant.now().toString());
        provenance.forEach(marker::put);
        try (OutputStream out = create(OutputKind.MARKER)) {
            MARKER_JSON.writeValue(out, marker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        }
        commit();
    }

    /** Renames the replaced output back after a failed swap; if that fails too, {@link #restore} does it later. */
    private void putBack(Path old) {
        try {
            files.renameNoReplace(old, target);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot put {} back to {} (the next run or load does): {}", old, output, e.toString());
        }
    }

    private ModelStoreException appeared() {
        return new ModelStoreException(output + " was created by someone else while this job ran; nothing was "
                + "written");
    }

    /** Fails unless the existing output (if any) may be replaced. */
    private void requireReplaceable() throws IOException {
        if (!fs.exists(target)) {
            return;
        }
        Optional<String> foreign = kind.foreign(fs, target);
        if (foreign.isPresent()) {
            throw new ModelStoreException(output + " already exists and is not " + kind.description() + " ("
                    + foreign.get() + "); sparkprop replaces only its own outputs and empty "
                    + (kind.directory() ? "directories" : "files") + ": choose another output");
        }
        if (!overwrite) {
            throw new ModelStoreException(output + " already exists; pass --overwrite to replace it");
        }
    }

    /**
     * Releases the lock; unless committed, first removes what this job wrote aside and the parent
     * directories it created. Never throws: a failure to clean up is logged, and the next run of
     * the same output removes what is left.
     */
    @Override
    public void close() {
        try {
            if (!committed) {
                String token = lock.owner().token();
                fs.delete(aside(), true);
                Path complete = sibling(target, "new", token);
                // Between the renames of a failed commit the new output is the one to restore; else drop it.
                if (fs.exists(target) || !fs.exists(sibling(target, "old", token))) {
                    fs.delete(complete, true);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the temporaries of {} (the next run removes them): {}", output, e.toString());
        } finally {
            lock.close();
            if (!committed) {
                removeIfEmpty(fs, createdDirectories);
            }
        }
    }

    /** Removes other jobs' temporaries: we hold the lock, so their jobs have ended. */
    private void removeAbandoned() throws IOException {
        removeAbandoned(fs, target, lock.owner().token());
    }

    private static void removeAbandoned(FileSystem fs, Path target, String ownToken) throws IOException {
        Pattern ours = temporaryPattern(target);
        for (FileStatus entry : fs.listStatus(target.getParent(), p -> ours.matcher(p.getName()).matches())) {
            Path path = entry.getPath();
            if (path.getName().endsWith("-" + ownToken)) {
                continue;
            }
            // A lock being published belongs to a job that is trying to take the lock right now.
            boolean lockOfAnother = path.getName().startsWith(lockFile(target).getName() + "-");
            if (!lockOfAnother || OutputLock.abandoned(OutputLock.read(fs, path), entry.getModificationTime())) {
                LOG.info("removing {}, left by a job that ended", path);
                fs.delete(path, true);
            }
        }
    }

    /**
     * Puts back an output that a job killed between its renames left missing: its complete
     * {@code .new} (the replacement), else its {@code .old} (the replaced output). Call with the lock held.
     */
    private static void restoreInterrupted(FileSystem fs, OutputFileSystem files, Path target, String output)
            throws IOException {
        if (fs.exists(target)) {
            return;
        }
        Optional<Path> source = latest(fs, target, "new").or(() -> latest(fs, target, "old"));
        if (source.isPresent() && files.renameNoReplace(source.get(), target)) {
            LOG.warn("{}: restored the complete output {} left by a job interrupted while replacing it", output,
                    source.get().getName());
        }
    }

    private static Optional<Path> latest(FileSystem fs, Path target, String role) {
        Pattern pattern = Pattern.compile(Pattern.quote("." + target.getName() + "." + role + "-") + "[0-9a-f-]+");
        try {
            return Arrays.stream(fs.listStatus(target.getParent(), p -> pattern.matcher(p.getName()).matches()))
                    .max(Comparator.comparingLong(FileStatus::getModificationTime)).map(FileStatus::getPath);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of this output's temporaries: written aside, complete, replaced, and lock files being published. */
    private static Pattern temporaryPattern(Path target) {
        return Pattern.compile(Pattern.quote("." + target.getName() + ".") + "(tmp|new|old|lock)-[0-9a-f-]+");
    }

    static Path lockFile(Path target) {
        return new Path(target.getParent(), "." + target.getName() + ".lock");
    }

    private static Path sibling(Path target, String role, String token) {
        return new Path(target.getParent(), "." + target.getName() + "." + role + "-" + token);
    }

    /** The ancestors of {@code dir} (itself included) that do not exist, deepest first. */
    private static List<Path> missingAncestors(FileSystem fs, Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !fs.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        return missing;
    }

    private static void removeIfEmpty(FileSystem fs, List<Path> directories) {
        for (Path dir : directories) {
            try {
                if (fs.listStatus(dir).length > 0 || !fs.delete(dir, false)) {
                    return;
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** A local disk without Hadoop's checksum layer, which would leave {@code .crc} files beside ours. */
    static FileSystem raw(FileSystem fs) {
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }
}
