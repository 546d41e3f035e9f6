package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on one output, held by one job from before its work starts until its output
 * is in place: the file {@code .NAME.lock} beside the output, naming its owner (a random token,
 * host, boot id, process id and the process's start time). It is written aside and published by
 * an atomic no-replace rename, so of two jobs exactly one gets it, and a reader never sees a
 * half-written lock. The owner touches the file every {@link #HEARTBEAT} while it holds it.
 *
 * <p>A lock is <em>abandoned</em>, and may be broken, only when that is provable: its owner ran on
 * this machine (same host name and boot id) and its process is gone (no process with that id,
 * or one started at another time), or the lock has not been touched for {@link #STALE_AFTER}
 * (an owner on another host, or a lock that cannot be read). A live writer's lock is never
 * broken.
 */
final class OutputLock implements AutoCloseable {
    /** How often the owner touches its lock. */
    static final Duration HEARTBEAT = Duration.ofMinutes(1);
    /** A lock untouched for this long is abandoned even when its owner cannot be checked. */
    static final Duration STALE_AFTER = Duration.ofMinutes(15);
    /** How long a job waits for a reader's short {@link Purpose#RESTORE} lock, or a reader for a writer's renames. */
    static final Duration RESTORE_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT = "sparkprop-lock";

    private final FileSystem fs;
    private final Path file;
    private final Owner owner;
    private final ScheduledExecutorService heartbeat;

    private OutputLock(FileSystem fs, Path file, Owner owner) {
        this.fs = fs;
        this.file = file;
        this.owner = owner;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sparkprop-lock " + file.getName());
            thread.setDaemon(true);
            return thread;
        });
        long period = HEARTBEAT.toMillis();
        heartbeat.scheduleAtFixedRate(this::touch, period, period, TimeUnit.MILLISECONDS);
    }

    /** Who holds a lock: enough to tell whether that process still runs. */
    record Owner(String token, String host, String boot, long pid, Optional<Instant> processStart, Purpose purpose) {
        /** This process, with a fresh token. */
        static Owner current(Purpose purpose) {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(UUID.randomUUID().toString(), Machine.HOST, Machine.BOOT, self.pid(),
                    self.info().startInstant(), purpose);
        }

        boolean onThisMachine() {
            return host.equals(Machine.HOST) && boot.equals(Machine.BOOT);
        }

        /** Whether the owning process still runs; only meaningful {@link #onThisMachine}. */
        boolean processAlive() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> p.info().startInstant().flatMap(start -> processStart.map(mine ->
                            Math.abs(Duration.between(start, mine).toMillis()) <= 1000)).orElse(true))
                    .orElse(false);
        }

        String describe() {
            return "pid " + pid + " on " + host;
        }
    }

    /** Why a lock is held. */
    enum Purpose {
        /** A job writes the output: others fail at once. */
        WRITE,
        /** A reader puts back the output of a job interrupted between its renames: others wait (milliseconds). */
        RESTORE
    }

    /** The name and boot of this machine, read once. */
    private static final class Machine {
        static final String HOST = hostName();
        static final String BOOT = bootId();

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
            }
        }

        /** Linux's id of this boot: tells two machines of the same name, or a reboot, apart. */
        private static String bootId() {
            try {
                return Files.readString(Paths.get("/proc/sys/kernel/random/boot_id")).trim();
            } catch (IOException | SecurityException e) {
                return "";
            }
        }
    }

    /**
     * Takes the lock {@code file}, breaking an abandoned one.
     *
     * @param what the output, for the message when another job holds the lock
     * @throws ModelStoreException when a live job holds it
     */
    static OutputLock acquire(FileSystem fs, OutputFileSystem files, Path file, Purpose purpose, String what)
            throws IOException {
        Owner me = Owner.current(purpose);
        Path staged = new Path(file.getParent(), file.getName() + "-" + me.token());
        long deadline = System.nanoTime() + RESTORE_WAIT.toNanos();
        for (int broken = 0; ; ) {
            write(files, staged, me);
            if (files.renameNoReplace(staged, file)) {
                return new OutputLock(fs, file, me);
            }
            fs.delete(staged, false);
            FileStatus status;
            try {
                status = fs.getFileStatus(file);
            } catch (FileNotFoundException e) {
                continue; // released meanwhile
            }
            Optional<Owner> holder = read(fs, file);
            if (abandoned(holder, status.getModificationTime())) {
                if (++broken > 3) {
                    throw new ModelStoreException(what + ": other jobs keep taking the lock " + file + "; try again");
                }
                breakAbandoned(fs, files, file, holder, status, what);
            } else if (holder.map(Owner::purpose).orElse(Purpose.WRITE) == Purpose.RESTORE
                    && System.nanoTime() < deadline) {
                pause();
            } else {
                throw busy(what, file, holder, status);
            }
        }
    }

    /** Waits a moment before looking at a lock again. */
    static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelStoreException("interrupted while waiting for a lock");
        }
    }

    /** Whether a lock with this owner, last touched at {@code modified}, is provably abandoned. */
    static boolean abandoned(Optional<Owner> holder, long modified) {
        if (holder.isPresent() && holder.get().onThisMachine()) {
            return !holder.get().processAlive();
        }
        return System.currentTimeMillis() - modified > STALE_AFTER.toMillis();
    }

    /**
     * Moves an abandoned lock aside and deletes it. Another job may have broken it and taken the
     * lock between our look and our move: then what we moved is a live lock, and it goes back.
     */
    private static void breakAbandoned(FileSystem fs, OutputFileSystem files, Path file, Optional<Owner> holder,
                                       FileStatus status, String what) throws IOException {
        Path aside = new Path(file.getParent(), file.getName() + "-" + UUID.randomUUID());
        try {
            if (!files.renameNoReplace(file, aside)) {
                return;
            }
        } catch (FileNotFoundException e) {
            return; // someone else broke or released it
        }
        Optional<Owner> moved = read(fs, aside);
        if (moved.map(Owner::token).equals(holder.map(Owner::token))) {
            LOG.warn("{}: removed the lock of a job that is gone ({})", what, holder.map(Owner::describe)
                    .orElse("unreadable lock untouched for " + STALE_AFTER.toMinutes() + " minutes"));
            fs.delete(aside, false);
            return;
        }
        // A live lock: put it back. Should a third job have taken the name meanwhile, the lock we
        // moved is lost, and its owner finds out before it commits (requireHeld).
        if (!files.renameNoReplace(aside, file)) {
            fs.delete(aside, false);
        }
        throw busy(what, file, moved, status);
    }

    private static ModelStoreException busy(String what, Path file, Optional<Owner> holder, FileStatus status) {
        long seconds = Math.max(0, (System.currentTimeMillis() - status.getModificationTime()) / 1000);
        return new ModelStoreException(what + " is being written by another job ("
                + holder.map(Owner::describe).orElse("owner unreadable") + ", lock touched " + seconds
                + " s ago); wait for it to finish or choose another output (lock: " + file + "; a lock whose "
                + "job is gone is removed by the next run, one of another host after " + STALE_AFTER.toMinutes()
                + " minutes without a heartbeat)");
    }

    static void write(OutputFileSystem files, Path path, Owner owner) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("token", owner.token());
        node.put("host", owner.host());
        node.put("boot", owner.boot());
        node.put("pid", owner.pid());
        owner.processStart().ifPresent(start -> node.put("processStart", start.toString()));
        node.put("purpose", owner.purpose().name().toLowerCase(java.util.Locale.ROOT));
        node.put("createdAt", Instant.now().toString());
        try (OutputStream out = files.create(path)) {
            out.write(JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The owner named in a lock file; empty when it is missing or unreadable. */
    static Optional<Owner> read(FileSystem fs, Path path) throws IOException {
        JsonNode node;
        try (InputStream in = fs.open(path)) {
            node = JSON.readTree(in);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
        if (node == null || !FORMAT.equals(node.path("format").asText()) || !node.path("pid").canConvertToLong()) {
            return Optional.empty();
        }
        Optional<Instant> start = Optional.empty();
        if (node.hasNonNull("processStart")) {
            try {
                start = Optional.of(Instant.parse(node.get("processStart").asText()));
            } catch (java.time.format.DateTimeParseException e) {
                return Optional.empty();
            }
        }
        Purpose purpose = "restore".equals(node.path("purpose").asText()) ? Purpose.RESTORE : Purpose.WRITE;
        return Optional.of(new Owner(node.path("token").asText(), node.path("host").asText(),
                node.path("boot").asText(), node.get("pid").asLong(), start, purpose));
    }

    /** This lock's owner. */
    Owner owner() {
        return owner;
    }

    /** Fails unless the lock file still names this owner (a job elsewhere may have broken it). */
    void requireHeld(String what) throws IOException {
        Optional<Owner> holder = read(fs, file);
        if (!holder.map(Owner::token).equals(Optional.of(owner.token()))) {
            throw new ModelStoreException(what + ": lost the lock " + file + " to another job ("
                    + holder.map(Owner::describe).orElse("lock missing") + "); nothing was written");
        }
    }

    private void touch() {
        try {
            fs.setTimes(file, System.currentTimeMillis(), -1);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot touch the lock {}: {}", file, e.toString());
        }
    }

    /** Stops the heartbeat and removes the lock file if it is still this owner's. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            if (read(fs, file).map(Owner::token).equals(Optional.of(owner.token()))) {
                fs.delete(file, false);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the lock {} (the next run removes it): {}", file, e.toString());
        }
    }
}
