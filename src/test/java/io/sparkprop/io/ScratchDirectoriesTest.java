package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which scratch directories of earlier runs a run removes: only those named as sparkprop's whose
 * owner file names a process of this machine that provably ended (gone, or its pid reused by a
 * process started at another time) — and, when it ends, its own. (The SIGKILLed driver itself:
 * cli/SparkScratchTest.)
 */
class ScratchDirectoriesTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcde";

    @TempDir
    Path base;

    @Test
    void removesOnlyTheScratchOfProcessesOfThisMachineThatEnded() throws Exception {
        OutputLock.Owner me = OutputLock.Owner.current(OutputLock.Purpose.WRITE);
        OutputLock.Owner ended = ended();
        Path gone = scratch("0", ended);
        Path reused = scratch("1", new OutputLock.Owner("t", me.host(), me.boot(), me.pid(),
                me.processStart().map(start -> start.minus(Duration.ofHours(1))), me.purpose()));
        Path alive = scratch("2", me);
        Path otherHost = scratch("3", new OutputLock.Owner("t", "elsewhere", me.boot(), ended.pid(),
                ended.processStart(), me.purpose()));
        Path otherBoot = scratch("4", new OutputLock.Owner("t", me.host(), "another-boot", ended.pid(),
                ended.processStart(), me.purpose()));
        Path unreadable = Files.createDirectory(base.resolve(ScratchDirectories.PREFIX + TOKEN + "5"));
        Files.writeString(unreadable.resolve(ScratchDirectories.OWNER), "{\"format\": \"sparkprop-lock\", \"pi");
        Path noOwner = Files.createDirectory(base.resolve(ScratchDirectories.PREFIX + TOKEN + "6"));
        Path otherName = Files.createDirectory(base.resolve(ScratchDirectories.PREFIX + "of-someone-else"));
        write(otherName, ended);
        Path aFile = Files.writeString(base.resolve(ScratchDirectories.PREFIX + TOKEN + "7"), "not a directory");
        Files.createDirectories(gone.resolve("blockmgr-1/0c"));
        Files.writeString(gone.resolve("blockmgr-1/0c/shuffle_0_0_0.data"), "shuffle");

        Path own;
        try (ScratchDirectories scratch = ScratchDirectories.create(List.of(base))) {
            own = Path.of(scratch.localDirs());
            assertEquals(base, own.getParent());
            assertEquals(Optional.of(me.pid()), owner(own).map(OutputLock.Owner::pid), "the run's directory names it");
            List<Path> kept = new ArrayList<>(List.of(alive, otherHost, otherBoot, unreadable, noOwner, otherName, aFile, own));
            assertEquals(kept.stream().sorted().toList(), entries(base),
                    "the scratch of the ended process and of the reused pid removed, everything else kept");
        }
        assertTrue(Files.notExists(own), "a run's own scratch is deleted when it ends");
        assertEquals(7, entries(base).size());
    }

    @Test
    void aDirectoryOfItsOwnInEachBase() throws Exception {
        Path second = base.resolve("second/not-yet-made");
        try (ScratchDirectories scratch = ScratchDirectories.create(List.of(base.resolve("first"), second))) {
            String[] dirs = scratch.localDirs().split(",");
            assertEquals(2, dirs.length);
            assertEquals(base.resolve("first"), Path.of(dirs[0]).getParent());
            assertEquals(second, Path.of(dirs[1]).getParent());
            assertTrue(Files.isRegularFile(Path.of(dirs[1]).resolve(ScratchDirectories.OWNER)));
        }
        assertEquals(List.of(), entries(base.resolve("first")));
        assertEquals(List.of(), entries(second));
    }

    /** A process of this machine that has ended, as an owner. */
    private static OutputLock.Owner ended() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ProcessHandle handle = process.toHandle();
        Optional<java.time.Instant> start = handle.info().startInstant();
        process.waitFor();
        OutputLock.Owner me = OutputLock.Owner.current(OutputLock.Purpose.WRITE);
        return new OutputLock.Owner("t", me.host(), me.boot(), handle.pid(), start, me.purpose());
    }

    private Path scratch(String last, OutputLock.Owner owner) throws IOException {
        Path dir = Files.createDirectory(base.resolve(ScratchDirectories.PREFIX + TOKEN + last));
        write(dir, owner);
        return dir;
    }

    private static void write(Path dir, OutputLock.Owner owner) throws IOException {
        FileSystem local = PendingOutput.raw(FileSystem.getLocal(new Configuration()));
        OutputLock.write(OutputFileSystem.of(local, new Configuration()),
                new org.apache.hadoop.fs.Path(dir.resolve(ScratchDirectories.OWNER).toUri()), owner);
    }

    private static Optional<OutputLock.Owner> owner(Path dir) throws IOException {
        return OutputLock.read(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(dir.resolve(ScratchDirectories.OWNER).toUri()));
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }
}
