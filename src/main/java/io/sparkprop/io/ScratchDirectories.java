package io.sparkprop.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-run directory for Spark's scratch on this machine ({@code blockmgr-*} with shuffle and
 * spilled blocks, {@code spark-*}): {@code BASE/sparkprop-scratch-TOKEN/} with an owner file naming
 * this process (host, boot, pid and start time, as an output's lock does). {@link #close} deletes
 * it when the run ends. A run killed by SIGKILL cannot, so {@link #create} first deletes the
 * scratch directories in BASE whose owner provably no longer runs on this machine — and nothing
 * else: not a live run's, not another host's, not one without a readable owner file, never a
 * directory of another name.
 */
public final class ScratchDirectories implements AutoCloseable {
    static final String PREFIX = "sparkprop-scratch-";
    static final String OWNER = "owner.json";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "[0-9a-f]{32}");
    private static final Logger LOG = LoggerFactory.getLogger(ScratchDirectories.class);

    private final List<Path> created;

    private ScratchDirectories(List<Path> created) {
        this.created = created;
    }

    /**
     * Removes abandoned scratch in each of {@code bases} and creates this run's directory in each.
     *
     * @return the run's directories, for {@code spark.local.dir}
     */
    public static ScratchDirectories create(List<Path> bases) {
        Configuration conf = new Configuration();
        FileSystem local;
        try {
            local = PendingOutput.raw(FileSystem.getLocal(conf));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OutputFileSystem files = OutputFileSystem.of(local, conf);
        List<Path> created = new ArrayList<>();
        String token = UUID.randomUUID().toString().replace("-", "");
        try {
            for (Path base : bases) {
                Files.createDirectories(base);
                removeAbandoned(local, base);
                Path dir = Files.createDirectory(base.resolve(PREFIX + token));
                created.add(dir);
                OutputLock.write(files, new org.apache.hadoop.fs.Path(dir.resolve(OWNER).toUri()),
                        OutputLock.Owner.current(OutputLock.Purpose.WRITE));
            }
        } catch (IOException e) {
            new ScratchDirectories(created).close();
            throw new UncheckedIOException("cannot create Spark's scratch directory in " + bases + ": " + e.getMessage(), e);
        }
        return new ScratchDirectories(created);
    }

    /** The directories, comma-separated, as {@code spark.local.dir} takes them. */
    public String localDirs() {
        return String.join(",", created.stream().map(Path::toString).toList());
    }

    private static void removeAbandoned(FileSystem local, Path base) throws IOException {
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(base)) {
            candidates = entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches()
                    && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        }
        for (Path dir : candidates) {
            Optional<OutputLock.Owner> owner = OutputLock.read(local,
                    new org.apache.hadoop.fs.Path(dir.resolve(OWNER).toUri()));
            if (owner.isPresent() && owner.get().onThisMachine() && !owner.get().processAlive()) {
                LOG.info("removing the scratch of an earlier run that ended without cleaning up ({}): {}",
                        owner.get().describe(), dir);
                delete(dir);
            }
        }
    }

    /** Deletes this run's directories (after Spark has stopped). */
    @Override
    public void close() {
        for (Path dir : created) {
            try {
                delete(dir);
            } catch (IOException e) {
                LOG.warn("cannot delete Spark's scratch {}: {}", dir, e.toString());
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
