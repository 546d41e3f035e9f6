package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.cli.SparkpropCli;
import io.sparkprop.io.EpochRecord;
import io.sparkprop.io.ModelStore;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark ML models' summary offers what the report shows, and their writer leaves the report too. */
class MLPReportTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        LocalSpark.session();
    }

    @Test
    void aClassifiersSummaryHoldsTheHistoryAndConfusionMatricesAndItsSaveTheReport() throws IOException {
        MLPClassificationModel model = new MLPClassifier().setHiddenLayers(new int[] {6}).setOptimizer("adam")
                .setStepSize(0.05).setMaxIter(15).setStandardize(true).setValidationFraction(0.3)
                .fit(Iris.assembled());
        MLPTrainingSummary summary = model.summary();
        List<EpochRecord> history = summary.history();
        assertEquals(summary.totalIterations(), history.size());
        assertArrayEquals(summary.objectiveHistory(), history.stream().mapToDouble(EpochRecord::loss).toArray());
        assertArrayEquals(summary.validationLossHistory(),
                history.stream().mapToDouble(e -> e.validation().orElseThrow().loss()).toArray());
        double[][] training = summary.trainingConfusionMatrix().orElseThrow();
        assertEquals(3, training.length);
        assertEquals(summary.rows(), Arrays.stream(training).flatMapToDouble(Arrays::stream).sum());
        assertEquals(summary.validationMetrics().orElseThrow().count(),
                Arrays.stream(summary.validationConfusionMatrix().orElseThrow()).flatMapToDouble(Arrays::stream).sum());
        assertTrue(summary.environment().orElseThrow().master().startsWith("local"));
        assertTrue(summary.memory().driverPeakHeap() > 0 && summary.memory().cachedInMemory() > 0);
        assertTrue(summary.epochTimes().compute() > 0);
        assertTrue(summary.predictionSample().isEmpty(), "a classifier's report needs no predictions");

        Path saved = dir.resolve("model");
        model.write().save(saved.toString());
        Path data = saved.resolve(ModelStore.SPARK_ML_DATA);
        for (String file : List.of("metrics.jsonl", "loss.png", "accuracy.png", "confusion.png", "report.html")) {
            assertTrue(Files.exists(data.resolve(file)), file);
        }
        assertEquals(history.size(), Files.readAllLines(data.resolve("metrics.jsonl")).size());

        // sparkprop report reads the Spark ML layout and draws the same report.
        Path report = dir.resolve("report");
        StringWriter err = new StringWriter();
        int code = SparkpropCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "report",
                saved.toString(), "--output", report.toString());
        assertEquals(0, code, err.toString());
        assertArrayEquals(Files.readAllBytes(data.resolve("report.html")), Files.readAllBytes(report.resolve("report.html")));

        // A loaded model has no summary (as in Spark): saved again, it carries no report of a run it does not know.
        Path again = dir.resolve("again");
        MLPClassificationModel.load(saved.toString()).write().save(again.toString());
        assertFalse(Files.exists(again.resolve(ModelStore.SPARK_ML_DATA).resolve("report.html")));
    }

    @Test
    void aRegressorsSummaryHoldsSampledPredictionsThatItsReportPlots() throws IOException {
        MLPRegressionModel model = new MLPRegressor().setHiddenLayers(new int[] {6}).setOptimizer("adam")
                .setStepSize(0.02).setMaxIter(10).setStandardize(true)
                .fit(new VectorAssembler().setInputCols(new String[] {"sepal_length", "sepal_width", "petal_length"})
                        .setOutputCol("features").transform(Iris.raw()).withColumnRenamed("petal_width", "label"));
        var sampled = model.summary().predictionSample().orElseThrow();
        assertEquals("training", sampled.data());
        assertEquals(model.summary().rows(), sampled.sample().rows(), "all of a small data set");
        assertTrue(model.summary().trainingConfusionMatrix().isEmpty());

        Path saved = dir.resolve("regression");
        model.write().save(saved.toString());
        Path data = saved.resolve(ModelStore.SPARK_ML_DATA);
        assertTrue(Files.exists(data.resolve("predictions.png")));
        assertEquals(sampled.sample().rows() + 1, Files.readAllLines(data.resolve(ModelStore.PREDICTIONS)).size());
    }
}
