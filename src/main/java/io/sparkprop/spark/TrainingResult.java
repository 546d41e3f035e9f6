package io.sparkprop.spark;

import io.sparkprop.engine.ClassificationMetrics;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.io.InputSnapshot;
import io.sparkprop.io.MetricsJson;
import io.sparkprop.io.RunEnvironment;
import io.sparkprop.io.SampledPredictions;
import io.sparkprop.io.TrainingRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a training run produced and how.
 *
 * @param rows training rows (after any validation split)
 * @param history one entry per epoch run; shorter than configured when early stopping ended it
 * @param training metrics of the model's weights over the training data
 * @param validation metrics of the model's weights over the validation data, or null
 * @param keptEpoch the epoch whose weights the model holds: the best validation epoch with early
 *        stopping, else the last
 * @param inputs the input files as the run read them
 * @param memory the memory the run held
 * @param environment where the run trained
 * @param predictions a regression model's predictions for a sample of the validation rows (or of
 *        the training rows without validation data); empty for a classifier
 */
public record TrainingResult(Model model, TrainingConfig config, long rows, List<EpochStats> history,
                             Metrics training, Metrics validation, int keptEpoch, double seconds,
                             InputSnapshot inputs, MemoryUse memory, Optional<RunEnvironment> environment,
                             Optional<SampledPredictions> predictions) {
    public TrainingResult {
        history = List.copyOf(history);
        java.util.Objects.requireNonNull(inputs, "inputs");
        java.util.Objects.requireNonNull(memory, "memory");
    }

    /** A result of data not read from files, without environment or predictions. */
    public TrainingResult(Model model, TrainingConfig config, long rows, List<EpochStats> history, Metrics training,
                          Metrics validation, int keptEpoch, double seconds) {
        this(model, config, rows, history, training, validation, keptEpoch, seconds, InputSnapshot.none(),
                MemoryUse.UNKNOWN, Optional.empty(), Optional.empty());
    }

    /** The epochs' time breakdowns added up; unknown if any epoch's is. */
    public TimeBreakdown epochTimes() {
        return history.stream().map(EpochStats::times).reduce(TimeBreakdown::plus)
                .orElse(TimeBreakdown.UNKNOWN);
    }

    /** Seconds of the epochs' steps, without validation passes. */
    public double epochSeconds() {
        return history.stream().mapToDouble(EpochStats::seconds).sum();
    }

    /** Mean training loss of the model's weights. */
    public double finalLoss() {
        return training.meanLoss();
    }

    /** Training accuracy of the model's weights; NaN for regression. */
    public double finalAccuracy() {
        return training instanceof ClassificationMetrics c ? c.accuracy() : Double.NaN;
    }

    /** What {@link io.sparkprop.io.ModelStore} records about this run; {@code source} names the training data. */
    public TrainingRecord record(String source) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("data", source);
        run.put("rows", rows);
        run.put("epochsRun", history.size());
        run.put("keptEpoch", keptEpoch);
        run.putAll(config.settings());
        if (!inputs.isEmpty()) {
            run.put("inputs", inputs.toJson());
        }
        run.put("seconds", seconds);
        if (memory != MemoryUse.UNKNOWN) {
            run.put("memory", memory.toJson());
        }

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("training", MetricsJson.of(training));
        if (validation != null) {
            metrics.put("validation", MetricsJson.of(validation));
        }
        return new TrainingRecord(run, metrics, history.stream().map(EpochStats::record).toList(), environment,
                predictions);
    }
}
