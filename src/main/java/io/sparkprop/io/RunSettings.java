package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a model was trained, read back from {@code metadata.json}'s {@code training} section for
 * reports. A count the section lacks is -1.
 *
 * @param data the training data as the trainer named it
 * @param rows training rows (without validation rows)
 * @param epochs epochs configured
 * @param epochsRun epochs run (fewer with early stopping or a tolerance)
 * @param keptEpoch the epoch whose weights the model holds
 * @param batchSize rows per step; 0 for full batch
 * @param learningRate the base learning rate
 * @param optimizer the update rule, e.g. {@code gd, weightDecay=0.0, clipNorm=0.0, schedule=constant}
 * @param seed the run's seed
 * @param precision {@code float64} or {@code float32}
 * @param standardize whether the features were standardised
 * @param validationFraction the share held out for validation, 0 for none (or given validation data)
 * @param patience early-stopping patience, 0 for off
 * @param seconds the run's wall-clock time
 * @param memory the memory the run held, in bytes by name (driverPeakHeapBytes, cachedOnDiskBytes,
 *        ...; the largest executor's peak heap as executorPeakHeapBytes); empty when not recorded
 */
public record RunSettings(String data, long rows, long epochs, long epochsRun, long keptEpoch, long batchSize,
                          double learningRate, String optimizer, long seed, String precision, boolean standardize,
                          double validationFraction, long patience, double seconds, Map<String, Long> memory) {

    /** Reads the {@code training} section; {@code where} names it for messages. */
    static RunSettings fromJson(JsonNode node, String where) {
        JsonFields f = new JsonFields(where);
        return new RunSettings(f.text(node, "data", "unknown"), f.integer(node, "rows", -1),
                f.integer(node, "epochs", -1), f.integer(node, "epochsRun", -1), f.integer(node, "keptEpoch", -1),
                f.integer(node, "batchSize", 0), f.number(node, "learningRate"), optimizer(node.get("optimizer")),
                f.integer(node, "seed", -1), f.text(node, "precision", "float64"),
                Boolean.parseBoolean(f.text(node, "standardize", "false")), orZero(f.number(node, "validationFraction")),
                f.integer(node, "earlyStoppingPatience", 0), f.number(node, "seconds"),
                memory(node.path("memory")));
    }

    /** Every byte count {@code MemoryUse} recorded, by its name, and the largest executor's peak heap. */
    private static Map<String, Long> memory(JsonNode node) {
        Map<String, Long> memory = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (e.getValue().isIntegralNumber() && e.getValue().asLong() >= 0) {
                memory.put(e.getKey(), e.getValue().asLong());
            }
        });
        long executors = -1;
        for (JsonNode executor : node.path("executors")) {
            executors = Math.max(executors, executor.path("peakHeapBytes").asLong(-1));
        }
        if (executors >= 0) {
            memory.put("executorPeakHeapBytes", executors);
        }
        return memory;
    }

    /** The update rule's settings as one line: its name first, then {@code name=value} pairs. */
    private static String optimizer(JsonNode node) {
        if (node == null || !node.isObject()) {
            return node == null ? "unknown" : node.asText();
        }
        List<String> parts = new ArrayList<>();
        node.properties().forEach(e -> parts.add(e.getKey().equals("optimizer") ? e.getValue().asText()
                : e.getKey() + "=" + e.getValue().asText()));
        return String.join(", ", parts);
    }

    private static double orZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
