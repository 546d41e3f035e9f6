package io.sparkprop.io;

import java.util.List;
import java.util.Map;

/**
 * How a model was trained, as {@link ModelStore} records it beside the weights: plain values
 * (numbers, strings, lists, maps) that it writes as JSON without knowing the trainer.
 *
 * @param training the {@code training} section of {@code metadata.json}: data, rows, epochs,
 *        {@code epochsRun}, {@code keptEpoch}, {@code seconds} and the settings
 * @param metrics {@code training} and, with validation data, {@code validation} metrics
 * @param history one entry per epoch run
 */
public record TrainingRecord(Map<String, Object> training, Map<String, Object> metrics,
                             List<Map<String, Object>> history) {
    public TrainingRecord {
        training = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(training));
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        history = List.copyOf(history);
    }
}
