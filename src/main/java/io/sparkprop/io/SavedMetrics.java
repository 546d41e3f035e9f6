package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.engine.Metrics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Final metrics as a model directory keeps them ({@link MetricsJson#of}), read back for reports.
 *
 * @param task what the outputs mean
 * @param count rows evaluated
 * @param scalars every single-number metric in the order written: {@code loss}, {@code accuracy},
 *        {@code logLoss}, {@code macroF1}, or {@code rmse}, {@code mae}, {@code r2}, ...
 * @param confusionMatrix rows true class, columns predicted class (multiclass, binary); else empty
 * @param labelConfusion per label {@code [[tn, fp], [fn, tp]]} (multilabel); else empty
 */
public record SavedMetrics(Metrics.Task task, long count, Map<String, Double> scalars, double[][] confusionMatrix,
                           double[][][] labelConfusion) {
    public SavedMetrics {
        scalars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
    }

    /**
     * Reads one entry of {@code metadata.json}'s {@code metrics}.
     *
     * @param where the file and entry, for messages
     */
    static SavedMetrics fromJson(JsonNode node, String where) {
        JsonFields f = new JsonFields(where);
        String id = f.text(node, "task", "");
        Metrics.Task task = Arrays.stream(Metrics.Task.values()).filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> f.error("task", node.get("task"), "one of multiclass, binary, multilabel, "
                        + "regression"));
        Map<String, Double> scalars = new LinkedHashMap<>();
        node.properties().forEach(field -> {
            if (field.getValue().isNumber() && !field.getKey().equals("count")) {
                scalars.put(field.getKey(), field.getValue().asDouble());
            }
        });
        JsonNode labels = node.get("labelConfusion");
        double[][][] labelConfusion = new double[labels == null || !labels.isArray() ? 0 : labels.size()][][];
        for (int j = 0; j < labelConfusion.length; j++) {
            labelConfusion[j] = matrix(labels.get(j), where + ".labelConfusion[" + j + "]");
        }
        JsonNode confusion = node.get("confusionMatrix");
        return new SavedMetrics(task, f.integer(node, "count", 0), scalars,
                confusion == null ? new double[0][] : matrix(confusion, where + ".confusionMatrix"), labelConfusion);
    }

    private static double[][] matrix(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new ModelStoreException(where + " is " + ModelMetadata.describe(node) + "; expected a matrix");
        }
        double[][] rows = new double[node.size()][];
        for (int r = 0; r < rows.length; r++) {
            JsonNode row = node.get(r);
            if (!row.isArray() || row.size() != node.get(0).size()) {
                throw new ModelStoreException(where + "[" + r + "] is " + ModelMetadata.describe(row)
                        + "; expected a row of " + node.get(0).size() + " numbers");
            }
            rows[r] = new double[row.size()];
            for (int c = 0; c < rows[r].length; c++) {
                rows[r][c] = row.get(c).asDouble();
            }
        }
        return rows;
    }

    /** A named metric, when the task has it. */
    public Optional<Double> scalar(String name) {
        return Optional.ofNullable(scalars.get(name));
    }

    /**
     * Rows (or their weight) per class: the confusion matrix's row sums; for a multi-label task
     * the rows with each label ({@code fn + tp}); empty for a regression.
     */
    public double[] classCounts() {
        if (labelConfusion.length > 0) {
            return Arrays.stream(labelConfusion).mapToDouble(m -> m[1][0] + m[1][1]).toArray();
        }
        return Arrays.stream(confusionMatrix).mapToDouble(row -> Arrays.stream(row).sum()).toArray();
    }
}
