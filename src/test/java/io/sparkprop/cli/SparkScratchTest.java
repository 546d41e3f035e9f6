package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkprop.io.ScratchDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's scratch of a driver killed by SIGKILL is removed by the next run, and a run removes its
 * own when it ends; a live run's scratch, and anything else, is kept.
 */
class SparkScratchTest {
    @TempDir
    Path dir;

    @Test
    void theNextRunRemovesTheScratchOfAKilledRunAndItsOwnButNoLiveRunsOrOthers() throws Exception {
        Path base = Files.createDirectory(dir.resolve("scratch"));
        Path mine = Files.createDirectory(base.resolve("blockmgr-of-something-else"));
        String localDir = "spark.local.dir=" + base;

        Process killed = ChildJvm.sparkprop(dir.resolve("out1.txt"), dir.resolve("err1.txt"), "train", "--master",
                "local[2]", "--rows", "2000", "--epochs", "1000000", "--conf", localDir);
        Path abandoned;
        try {
            abandoned = awaitBlockManager(base, killed);
        } finally {
            killed.destroyForcibly(); // SIGKILL: Spark's shutdown hooks do not run
            killed.waitFor(60, TimeUnit.SECONDS);
        }
        assertTrue(Files.isDirectory(abandoned), "a killed driver leaves its scratch");

        try (ScratchDirectories live = ScratchDirectories.create(List.of(base))) {
            Path liveDir = Path.of(live.localDirs());
            Process next = ChildJvm.sparkprop(dir.resolve("out2.txt"), dir.resolve("err2.txt"), "train", "--master",
                    "local[2]", "--rows", "500", "--epochs", "2", "--conf", localDir);
            assertTrue(next.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, next.exitValue(), Files.readString(dir.resolve("err2.txt")));
            assertEquals(List.of(mine, liveDir), entries(base),
                    "the killed run's scratch and the finished run's own are gone; this JVM's and the other are kept");
        }
        assertEquals(List.of(mine), entries(base), "closed, a run's scratch is deleted");
    }

    /** The run's scratch directory once Spark's block manager has created its directory in it. */
    private static Path awaitBlockManager(Path base, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (Path entry : entries(base)) {
                if (entry.getFileName().toString().startsWith("sparkprop-scratch-")) {
                    try (Stream<Path> inside = Files.list(entry)) {
                        if (inside.anyMatch(p -> p.getFileName().toString().startsWith("blockmgr-"))) {
                            return entry;
                        }
                    }
                }
            }
            if (!process.isAlive()) {
                fail("the job ended before Spark made its scratch, exit code " + process.exitValue());
            }
            Thread.sleep(50);
        }
        fail("no scratch directory within two minutes");
        return null;
    }

    private static List<Path> entries(Path base) throws IOException {
        try (Stream<Path> list = Files.list(base)) {
            return list.sorted().toList();
        }
    }
}
