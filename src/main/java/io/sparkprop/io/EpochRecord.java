package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One epoch of a run as a model directory keeps it: a line of {@code metrics.jsonl} and an entry
 * of {@code metadata.json}'s {@code history}, written and read here only, so a figure added to
 * the trainer's epoch statistics reaches both files (and the report) by a component here, a line
 * in each of {@link #toJson} and {@link #fromJson}, and one where the trainer makes the record.
 * A figure that was not measured (accuracy of a regression, a history written before the figure
 * existed) is NaN here and absent from the JSON, which has no NaN.
 *
 * @param epoch 1-based
 * @param loss mean training loss over the epoch's steps
 * @param accuracy training accuracy measured the same way; NaN when not measured
 * @param validation the validation metrics after the epoch, when there is validation data
 * @param learningRate the rate of the epoch's last step
 * @param gradientNorm L2 norm of the epoch's last mean gradient
 * @param steps synchronous steps in the epoch
 * @param seconds wall-clock time of the steps
 * @param rowsPerSecond training rows over {@code seconds}
 * @param overheadPerStep seconds per step not spent computing
 * @param validationSeconds wall-clock time of the validation pass
 * @param times where {@code seconds} went, by part (compute, tasks, broadcast, aggregation,
 *        update, scheduling) in seconds; empty when not measured
 */
public record EpochRecord(int epoch, double loss, double accuracy, Optional<MetricSummary> validation,
                          double learningRate, double gradientNorm, int steps, double seconds, double rowsPerSecond,
                          double overheadPerStep, double validationSeconds, Map<String, Double> times) {
    public EpochRecord {
        times = Collections.unmodifiableMap(new LinkedHashMap<>(times));
    }

    /** The JSON object: every measured figure, by the names the README's model-format section lists. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("epoch", epoch);
        putMeasured(node, "loss", loss);
        putMeasured(node, "accuracy", accuracy);
        validation.ifPresent(v -> node.set("validation", v.toJson()));
        putMeasured(node, "learningRate", learningRate);
        putMeasured(node, "gradientNorm", gradientNorm);
        node.put("steps", steps);
        putMeasured(node, "seconds", seconds);
        putMeasured(node, "rowsPerSecond", rowsPerSecond);
        putMeasured(node, "overheadPerStep", overheadPerStep);
        putMeasured(node, "validationSeconds", validationSeconds);
        if (!times.isEmpty()) {
            ObjectNode parts = node.putObject("times");
            times.forEach((part, value) -> putMeasured(parts, part, value));
        }
        return node;
    }

    /**
     * Reads what {@link #toJson} wrote, or an older history entry without some figures.
     *
     * @param where the file and entry, for messages
     * @throws ModelStoreException when {@code epoch} is missing or a figure is not a number
     */
    public static EpochRecord fromJson(JsonNode node, String where) {
        JsonFields f = new JsonFields(where);
        JsonNode validation = node.get("validation");
        Map<String, Double> times = new LinkedHashMap<>();
        JsonNode parts = node.get("times");
        if (parts != null && parts.isObject()) {
            parts.properties().forEach(part -> times.put(part.getKey(), f.number(parts, part.getKey())));
        }
        return new EpochRecord(f.integer(node, "epoch"), f.number(node, "loss"), f.number(node, "accuracy"),
                validation == null || validation.isNull() ? Optional.empty()
                        : Optional.of(MetricSummary.fromJson(validation, where + ".validation")),
                f.number(node, "learningRate"), f.number(node, "gradientNorm"), (int) f.integer(node, "steps", 0),
                f.number(node, "seconds"), f.number(node, "rowsPerSecond"), f.number(node, "overheadPerStep"),
                f.number(node, "validationSeconds"), times);
    }

    static void putMeasured(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        }
    }
}
