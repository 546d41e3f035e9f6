package io.sparkprop.ml;

import io.sparkprop.engine.Metrics;
import io.sparkprop.spark.EpochStats;
import io.sparkprop.spark.TrainingResult;
import java.util.List;
import java.util.Optional;

/**
 * How a model was trained, as Spark's {@code TrainingSummary} classes tell it: the loss per epoch
 * ({@link #objectiveHistory()}), the epochs run, and the metrics of the kept weights on the training
 * and validation data. Available on a model fresh from {@code fit}, not on one loaded from disk
 * (as in Spark); the model directory keeps the same history in its {@code metadata.json}.
 */
public final class MLPTrainingSummary {
    private final TrainingResult result;

    MLPTrainingSummary(TrainingResult result) {
        this.result = result;
    }

    /** The mean training loss of every epoch run, in order (Spark's name). */
    public double[] objectiveHistory() {
        return result.history().stream().mapToDouble(EpochStats::loss).toArray();
    }

    /** The validation loss after every epoch run; empty without validation data. */
    public double[] validationLossHistory() {
        return result.history().stream().filter(e -> e.validation() != null)
                .mapToDouble(e -> e.validation().meanLoss()).toArray();
    }

    /** Epochs run: fewer than {@code maxIter} when early stopping or {@code tol} ended training. */
    public int totalIterations() {
        return result.history().size();
    }

    /** The epoch whose weights the model holds: the best validation epoch with early stopping, else the last. */
    public int keptEpoch() {
        return result.keptEpoch();
    }

    /** Every epoch as the trainer saw it: losses, accuracy, learning rate, gradient norm, timings. */
    public List<EpochStats> epochs() {
        return result.history();
    }

    /** Metrics of the model's weights over the training rows (loss, and accuracy, F1, ... or RMSE, R²). */
    public Metrics trainingMetrics() {
        return result.training();
    }

    /** Metrics of the model's weights over the validation rows, when there were any. */
    public Optional<Metrics> validationMetrics() {
        return Optional.ofNullable(result.validation());
    }

    /** Training rows (without validation rows). */
    public long rows() {
        return result.rows();
    }

    /** Wall-clock seconds of the training run. */
    public double seconds() {
        return result.seconds();
    }

    /** The run as the trainer returned it. */
    public TrainingResult result() {
        return result;
    }
}
