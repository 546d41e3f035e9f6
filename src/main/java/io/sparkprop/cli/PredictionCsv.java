package io.sparkprop.cli;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;

import io.sparkprop.engine.Metrics;
import io.sparkprop.spark.Scorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;

/**
 * The flat table {@code predict} writes, projected from {@link Scorer}'s columns: {@code label}
 * (when the input has a numeric one), {@code prediction} (a double: the class for a classifier, the
 * arg-max label for a multi-label one, the first output for a regression) and {@code output_0 ..
 * output_k-1}, the network's k outputs (a binary classifier's one output is p).
 */
final class PredictionCsv {
    private static final String OUTPUTS = "outputs";

    private PredictionCsv() {
    }

    static Dataset<Row> of(Scorer scorer, Dataset<Row> data) {
        // A vector label (a target vector) has no place in a CSV of predictions; a numeric one is kept.
        boolean hasLabel = Arrays.asList(data.columns()).contains("label")
                && data.schema().apply("label").dataType() instanceof NumericType;
        Dataset<Row> input = hasLabel ? data.select("features", "label") : data.select("features");
        Metrics.Task task = scorer.task();
        boolean regression = task == Metrics.Task.REGRESSION;
        int k = scorer.network().outputSize();
        Scorer.Columns columns = new Scorer.Columns(null, regression ? null : OUTPUTS, regression ? OUTPUTS : "prediction",
                null);
        Dataset<Row> scored = scorer.transform(input, "features", columns);

        List<Column> csv = new ArrayList<>();
        if (hasLabel) {
            csv.add(col("label").cast("double").as("label"));
        }
        Column outputs = regression && k == 1 ? null : org.apache.spark.ml.functions.vector_to_array(col(OUTPUTS), "float64");
        Column prediction = switch (task) {
            case MULTICLASS, BINARY -> col("prediction");
            // The most likely label, as a number: the CSV has no place for the set of labels.
            case MULTILABEL -> array_position(outputs, array_max(outputs)).minus(1).cast("double");
            case REGRESSION -> k == 1 ? col(OUTPUTS) : outputs.getItem(0);
        };
        csv.add(prediction.as("prediction"));
        if (outputs == null) {
            csv.add(col(OUTPUTS).as("output_0"));
        } else if (task == Metrics.Task.BINARY) {
            csv.add(outputs.getItem(1).as("output_0")); // the network's output p of probability [1 − p, p]
        } else {
            for (int i = 0; i < k; i++) {
                csv.add(outputs.getItem(i).as("output_" + i));
            }
        }
        return scored.select(csv.toArray(Column[]::new));
    }
}
