package io.sparkprop.report;

import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.PredictionSample;
import io.sparkprop.io.EpochRecord;
import io.sparkprop.io.MetricSummary;
import io.sparkprop.io.RunEnvironment;
import io.sparkprop.io.RunSettings;
import io.sparkprop.io.SampledPredictions;
import io.sparkprop.io.SavedMetrics;
import io.sparkprop.io.SavedRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Saved runs made up for the report's tests: no Spark, no files. */
final class ReportRuns {
    private ReportRuns() {
    }

    static final RunEnvironment ENVIRONMENT = new RunEnvironment("0.1.0-test", "4.1.0", "17", "local[2]", 1, 2,
            "VectorBLAS");

    /** A multiclass classifier of {@code classes} classes trained {@code epochs} epochs, with validation data. */
    static SavedRun classifier(int classes, int epochs, String data) {
        Network network = Network.parse("sigmoid(16)|softmax(" + classes + ")", 5);
        List<EpochRecord> history = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double loss = 2.0 / e;
            history.add(new EpochRecord(e, loss, 1 - 0.5 / e, Optional.of(new MetricSummary(loss * 1.1, 1 - 0.6 / e,
                    Double.NaN, Double.NaN)), 0.5, 0.1 / e, 4, 0.25, 8000, 0.01, 0.05, Map.of("compute", 0.2,
                    "tasks", 0.01, "broadcast", 0.01, "aggregation", 0.0, "update", 0.01, "scheduling", 0.02)));
        }
        return new SavedRun("/models/m", network, Optional.of(settings(data, epochs)), history,
                Optional.of(classMetrics(classes, 100)), Optional.of(classMetrics(classes, 20)),
                Optional.of(ENVIRONMENT), Optional.empty());
    }

    /** A regression of one output without validation data, with a sample of predictions. */
    static SavedRun regression(int epochs) {
        Network network = Network.parse("tanh(8)|identity(1)", 3);
        List<EpochRecord> history = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            history.add(new EpochRecord(e, 3.0 / e, Double.NaN, Optional.empty(), 0.1, 0.2, 1, 0.1, 10000, 0.02,
                    Double.NaN, Map.of()));
        }
        int rows = 200;
        double[] targets = new double[rows];
        double[] predictions = new double[rows];
        for (int r = 0; r < rows; r++) {
            targets[r] = r / 10.0;
            predictions[r] = r / 10.0 + Math.sin(r);
        }
        Map<String, Double> scalars = new LinkedHashMap<>(Map.of("loss", 0.4));
        scalars.put("rmse", 0.7);
        scalars.put("r2", 0.93);
        SavedMetrics training = new SavedMetrics(Metrics.Task.REGRESSION, rows, scalars, new double[0][],
                new double[0][][]);
        return new SavedRun("/models/r", network, Optional.of(settings("friedman.csv", epochs)), history,
                Optional.of(training), Optional.empty(), Optional.of(ENVIRONMENT),
                Optional.of(new SampledPredictions("training", new PredictionSample(1, targets, predictions))));
    }

    private static RunSettings settings(String data, int epochs) {
        return new RunSettings(data, 1000, epochs, epochs, epochs, 0, 0.5, "gd, weightDecay=0.0", 42, "float64",
                false, 0.2, 0, 12.5, Map.of("driverPeakHeapBytes", 300L << 20, "driverLiveHeapBytes", 80L << 20,
                        "cachedInMemoryBytes", 3L << 20, "cachedOnDiskBytes", 0L));
    }

    /** Metrics whose confusion matrix has {@code perClass} rows of each class, most on the diagonal. */
    private static SavedMetrics classMetrics(int classes, int perClass) {
        double[][] confusion = new double[classes][classes];
        for (int t = 0; t < classes; t++) {
            confusion[t][t] = perClass - 2;
            confusion[t][(t + 1) % classes] = 2;
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("loss", 0.3);
        scalars.put("accuracy", 0.9);
        scalars.put("macroF1", 0.88);
        return new SavedMetrics(Metrics.Task.MULTICLASS, (long) classes * perClass, scalars, confusion,
                new double[0][][]);
    }
}
