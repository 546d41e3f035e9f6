package io.sparkprop.io;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a model was trained, as {@link ModelStore} records it beside the weights.
 *
 * @param training the {@code training} section of {@code metadata.json}: data, rows, epochs,
 *        {@code epochsRun}, {@code keptEpoch}, {@code seconds} and the settings, as plain values
 *        (numbers, strings, lists, maps) written as JSON without knowing the trainer
 * @param metrics {@code training} and, with validation data, {@code validation} metrics, as
 *        {@link MetricsJson#of} gives them
 * @param history one entry per epoch run: {@code metadata.json}'s {@code history} and the lines
 *        of {@code metrics.jsonl}
 * @param environment where the model was trained
 * @param predictions a regression model's predictions for a sample of rows
 */
public record TrainingRecord(Map<String, Object> training, Map<String, Object> metrics, List<EpochRecord> history,
                             Optional<RunEnvironment> environment, Optional<SampledPredictions> predictions) {
    public TrainingRecord {
        training = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(training));
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        history = List.copyOf(history);
    }

    /** A record without environment or predictions. */
    public TrainingRecord(Map<String, Object> training, Map<String, Object> metrics, List<EpochRecord> history) {
        this(training, metrics, history, Optional.empty(), Optional.empty());
    }
}
