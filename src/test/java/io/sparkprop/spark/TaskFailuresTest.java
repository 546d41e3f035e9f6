package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.io.DataErrors;
import io.sparkprop.io.InvalidDataException;
import io.sparkprop.io.UnreadableInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark's retries with {@link TaskFailures}, in the shared local[2,4] session (up to 4 attempts per task). */
class TaskFailuresTest {
    @TempDir
    Path dir;

    /** Four partitions of two numbers; every task attempt leaves a file named by partition and attempt. */
    private JavaRDD<Integer> recordingAttempts() {
        String attempts = dir.toString();
        return LocalSpark.context().parallelize(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8), 4)
                .mapPartitions(it -> {
                    TaskContext task = TaskContext.get();
                    Files.createFile(Path.of(attempts, "p" + task.partitionId() + "-a" + task.attemptNumber()));
                    return it;
                }, true);
    }

    private List<String> attempts(int partition) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("p" + partition + "-"))
                    .sorted().toList();
        }
    }

    @Test
    void aDataErrorInATaskEndsTheJobAtOnceWithoutRetries() throws IOException {
        JavaRDD<Integer> bad = recordingAttempts().map(v -> {
            if (v == 6) {
                throw new InvalidDataException("data.csv: line 6 holds 'x'; expected a number");
            }
            return v;
        });
        Exception failure = assertThrows(Exception.class, bad::count);
        InvalidDataException data = DataErrors.find(failure);
        assertEquals("data.csv: line 6 holds 'x'; expected a number", data == null ? failure.toString()
                : data.getMessage());
        assertEquals(List.of("p2-a0"), attempts(2), "the bad partition's task ran once");
    }

    @Test
    void aTransientFailureIsRetriedAndLoggedAsOneWarning() throws IOException, InterruptedException {
        String logged;
        try (LogCapture log = new LogCapture(TaskFailures.class.getName(), Level.WARN)) {
            JavaRDD<Integer> flaky = recordingAttempts().map(v -> {
                if (v == 3 && TaskContext.get().attemptNumber() == 0) {
                    throw new UncheckedIOException(new IOException("connection reset reading block 7"));
                }
                return v;
            });
            assertEquals(36, flaky.reduce(Integer::sum));
            assertEquals(List.of("p1-a0", "p1-a1"), attempts(1));
            for (int i = 0; i < 100 && log.text().isEmpty(); i++) {
                Thread.sleep(50); // the listener hears of the failure asynchronously
            }
            Thread.sleep(200); // and of any other
            logged = log.text();
        }
        List<String> lines = logged.lines().toList();
        assertEquals(1, lines.size(), logged);
        assertTrue(lines.get(0).matches("WARN task 1\\.0 in stage \\d+\\.0 \\(TID \\d+\\) failed, attempt 1 of 4, "
                + "will be retried: java\\.io\\.UncheckedIOException: java\\.io\\.IOException: connection reset "
                + "reading block 7"), lines.get(0));
    }

    @Test
    void anIoErrorThatPersistsEndsTheJobAfterEveryAttemptAsAnUnreadableInput() throws IOException, InterruptedException {
        String logged;
        Exception failure;
        try (LogCapture log = new LogCapture(TaskFailures.class.getName(), Level.WARN)) {
            JavaRDD<Integer> broken = recordingAttempts().map(v -> {
                if (v == 8) {
                    throw new UnreadableInputException("cannot read hdfs:///data/part-3.parquet: connection refused");
                }
                return v;
            });
            failure = assertThrows(Exception.class, broken::count);
            for (int i = 0; i < 100 && log.text().lines().count() < 4; i++) {
                Thread.sleep(50);
            }
            logged = log.text();
        }
        assertEquals(List.of("p3-a0", "p3-a1", "p3-a2", "p3-a3"), attempts(3));
        assertEquals(null, DataErrors.find(failure));
        assertEquals("cannot read hdfs:///data/part-3.parquet: connection refused",
                UnreadableInputException.behind(failure).getMessage());
        List<String> lines = logged.lines().toList();
        assertEquals(4, lines.size(), logged);
        assertTrue(lines.get(0).contains("failed, attempt 1 of 4, will be retried: "
                + UnreadableInputException.class.getName() + ": cannot read"), lines.get(0));
        assertTrue(lines.get(3).contains("failed, attempt 4 of 4, no retries left"), lines.get(3));
    }
}
