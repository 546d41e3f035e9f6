package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.engine.Metrics;
import java.util.Map;

/**
 * The loss and the task's headline metrics ({@link MetricsJson#summary}): accuracy for a
 * classifier, RMSE and R² for a regression; a metric the task has not is NaN.
 */
public record MetricSummary(double loss, double accuracy, double rmse, double r2) {

    public static MetricSummary of(Metrics metrics) {
        Map<String, Double> summary = MetricsJson.summary(metrics);
        return new MetricSummary(summary.get("loss"), summary.getOrDefault("accuracy", Double.NaN),
                summary.getOrDefault("rmse", Double.NaN), summary.getOrDefault("r2", Double.NaN));
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        EpochRecord.putMeasured(node, "loss", loss);
        EpochRecord.putMeasured(node, "accuracy", accuracy);
        EpochRecord.putMeasured(node, "rmse", rmse);
        EpochRecord.putMeasured(node, "r2", r2);
        return node;
    }

    static MetricSummary fromJson(JsonNode node, String where) {
        JsonFields f = new JsonFields(where);
        return new MetricSummary(f.number(node, "loss"), f.number(node, "accuracy"), f.number(node, "rmse"),
                f.number(node, "r2"));
    }
}
