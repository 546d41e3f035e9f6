package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's default serializer (Java serialization, no Kryo registrator) trains, predicts and
 * evaluates too, and trains the same weights, bit for bit, as the tests' session with Kryo and
 * registration required.
 */
class JavaSerializationTest {
    @TempDir
    Path dir;

    @Test
    void trainsPredictsAndEvaluatesLikeKryo() throws Exception {
        String[] training = {"train", "--rows", "3000", "--epochs", "3", "--batch-size", "700", "--optimizer", "adam",
            "--lr", "0.01", "--standardize", "--validation-fraction", "0.2", "--partitions", "3"};
        Path java = dir.resolve("java-model");
        run(concat(training, "--master", "local[2]", "--output", java.toString(),
                "--conf", "spark.serializer=org.apache.spark.serializer.JavaSerializer"));
        Path data = dir.resolve("data.csv");
        run("generate", "--rows", "500", "--output", data.toString(), "--master", "local[2]",
                "--conf", "spark.serializer=org.apache.spark.serializer.JavaSerializer");
        run("predict", "--model", java.toString(), "--input", data.toString(), "--output",
                dir.resolve("predictions").toString(), "--master", "local[2]",
                "--conf", "spark.serializer=org.apache.spark.serializer.JavaSerializer");
        run("evaluate", "--model", java.toString(), "--input", data.toString(), "--master", "local[2]",
                "--conf", "spark.serializer=org.apache.spark.serializer.JavaSerializer");

        LocalSpark.session(); // Kryo with registration required, in this JVM
        Path kryo = dir.resolve("kryo-model");
        CliRun inProcess = CliRun.of(concat(training, "--output", kryo.toString()));
        assertEquals(ExitCodes.OK, inProcess.exitCode(), inProcess.err());
        assertArrayEquals(Files.readAllBytes(kryo.resolve("weights.bin")), Files.readAllBytes(java.resolve("weights.bin")),
                "the serializer does not change the arithmetic");
    }

    private void run(String... args) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = ChildJvm.sparkprop(out, err, args);
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "finishes");
        assertEquals(0, process.exitValue(), args[0] + ": " + Files.readString(err));
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
