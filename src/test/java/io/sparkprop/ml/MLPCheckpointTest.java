package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimators' checkpointDir and checkpointInterval. */
class MLPCheckpointTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        LocalSpark.session();
    }

    @Test
    void eachFitKeepsItsOwnCheckpointsAndAFitStartedAgainContinuesToTheSameModel() throws IOException {
        Dataset<Row> iris = Iris.assembled();
        MLPClassifier mlp = new MLPClassifier().setHiddenLayers(new int[] {6}).setOptimizer("adam").setStepSize(0.05)
                .setMaxIter(6).setBatchSize(40);
        double[] uninterrupted = mlp.fit(iris).engineModel().parameters();

        MLPClassifier checkpointed = mlp.copy(ParamMap.empty()).setCheckpointDir(dir.toString()).setCheckpointInterval(2);
        assertArrayEquals(uninterrupted, checkpointed.fit(iris).engineModel().parameters(),
                "checkpoints do not change the model");
        List<Path> runs = entries(dir);
        assertEquals(1, runs.size(), runs.toString());
        assertTrue(runs.get(0).getFileName().toString().matches("run-[0-9a-f]{16}"), runs.toString());
        List<String> kept = entries(runs.get(0)).stream().map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("checkpoint-")).toList();
        assertEquals(List.of("checkpoint-00000004-000000000", "checkpoint-00000006-000000000"), kept);

        // As if the fit had died during epoch 5 or 6: started again, it continues after epoch 4.
        deleteRecursively(runs.get(0).resolve(kept.get(1)));
        assertArrayEquals(uninterrupted, checkpointed.fit(iris).engineModel().parameters(),
                "continued from epoch 4 to the same bits");

        checkpointed.copy(ParamMap.empty()).setStepSize(0.02).fit(iris);
        assertEquals(2, entries(dir).size(), "another stepSize is another run, in its own subdirectory");

        Path none = dir.resolve("none");
        mlp.copy(ParamMap.empty()).setCheckpointDir(none.toString()).setCheckpointInterval(-1).fit(iris);
        assertFalse(Files.exists(none), "checkpointInterval -1 turns checkpoints off");
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
