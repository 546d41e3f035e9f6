package io.sparkprop.spark;

import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import java.util.List;

/**
 * What a training run produced and how.
 *
 * @param rows training rows (after any validation split)
 * @param history one entry per epoch run; shorter than configured when early stopping ended it
 * @param training metrics of the model's weights over the training data
 * @param validation metrics of the model's weights over the validation data, or null
 * @param keptEpoch the epoch whose weights the model holds: the best validation epoch with early
 *        stopping, else the last
 */
public record TrainingResult(Model model, TrainingConfig config, long rows, List<EpochStats> history,
                             Metrics training, Metrics validation, int keptEpoch, double seconds) {
    public TrainingResult {
        history = List.copyOf(history);
    }

    /** Mean training loss of the model's weights. */
    public double finalLoss() {
        return training.meanLoss();
    }

    /** Training accuracy of the model's weights; NaN for regression. */
    public double finalAccuracy() {
        return model.network().isClassifier() ? training.accuracy() : Double.NaN;
    }
}
