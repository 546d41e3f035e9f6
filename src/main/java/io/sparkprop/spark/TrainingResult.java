package io.sparkprop.spark;

import io.sparkprop.engine.Model;
import java.util.List;

/**
 * What a training run produced and how: the model, the configuration, one entry per epoch and
 * the loss and accuracy of the final weights over the training data.
 */
public record TrainingResult(Model model, TrainingConfig config, long rows, List<EpochStats> history,
                             double finalLoss, double finalAccuracy, double seconds) {
    public TrainingResult {
        history = List.copyOf(history);
    }
}
