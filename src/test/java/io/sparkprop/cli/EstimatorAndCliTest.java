package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Model;
import io.sparkprop.io.DataFormat;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.ModelStore;
import io.sparkprop.ml.MLPClassificationModel;
import io.sparkprop.ml.MLPClassifier;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark ML estimator and the command line are one trainer, and read each other's models. */
class EstimatorAndCliTest {
    @TempDir
    Path dir;

    /** Iris as the command line reads it: the species index first, then the four measurements. */
    private Path irisCsv() throws IOException {
        List<String> species = List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica");
        List<String> lines = new ArrayList<>();
        lines.add("label,sepal_length,sepal_width,petal_length,petal_width");
        for (String line : Files.readAllLines(Path.of("src/test/resources/datasets/iris.csv")).subList(1, 151)) {
            int comma = line.lastIndexOf(',');
            lines.add(species.indexOf(line.substring(comma + 1)) + "," + line.substring(0, comma));
        }
        Path csv = dir.resolve("iris.csv");
        Files.write(csv, lines);
        return csv;
    }

    @Test
    void sameSettingsGiveBitwiseTheSameModelAndEachReadsTheOthersModel() throws IOException {
        LocalSpark.session(); // the command line runs on the session that is already there
        Path csv = irisCsv();
        Path cliModel = dir.resolve("cli-model");
        CliRun train = CliRun.of("train", "--input", csv.toString(), "--layers", "tanh(8)|softmax(3)", "--epochs", "15",
                "--optimizer", "adam", "--lr", "0.05", "--batch-size", "32", "--lr-schedule", "cosine",
                "--standardize", "--quiet", "--output", cliModel.toString());
        assertEquals(0, train.exitCode(), train.err());

        Dataset<Row> frame = new DataLoader(LocalSpark.session()).load(csv.toString(), DataFormat.CSV, Optional.empty())
                .frame();
        MLPClassificationModel fitted = new MLPClassifier().setHiddenLayers(new int[] {8}).setActivation("tanh")
                .setMaxIter(15).setOptimizer("adam").setStepSize(0.05).setBatchSize(32).setLrSchedule("cosine")
                .setStandardize(true).fit(frame);
        ModelStore store = new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration());
        Model fromCli = store.load(cliModel.toString());
        assertEquals(fromCli.network(), fitted.engineModel().network());
        assertArrayEquals(fromCli.parameters(), fitted.engineModel().parameters(), "bitwise the same weights");

        // The command line predicts with the Spark ML model's directory, as with its own.
        Path sparkModel = dir.resolve("spark-model");
        fitted.save(sparkModel.toString());
        Path predictions = dir.resolve("predictions");
        CliRun predict = CliRun.of("predict", "--model", sparkModel.toString(), "--input", csv.toString(), "--output",
                predictions.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        CliRun evaluate = CliRun.of("evaluate", "--model", sparkModel.toString(), "--input", csv.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains("accuracy"), evaluate.out());

        // And the estimator continues from the command line's model.
        MLPClassificationModel continued = new MLPClassifier().setInitialModel(cliModel.toString()).setMaxIter(1)
                .setOptimizer("adam").setStepSize(0.05).fit(frame);
        assertEquals(fromCli.network(), continued.engineModel().network());
    }
}
