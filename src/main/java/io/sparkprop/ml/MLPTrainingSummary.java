package io.sparkprop.ml;

import io.sparkprop.engine.BinaryMetrics;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.MulticlassMetrics;
import io.sparkprop.io.EpochRecord;
import io.sparkprop.io.RunEnvironment;
import io.sparkprop.io.SampledPredictions;
import io.sparkprop.spark.EpochStats;
import io.sparkprop.spark.MemoryUse;
import io.sparkprop.spark.TimeBreakdown;
import io.sparkprop.spark.TrainingResult;
import java.util.List;
import java.util.Optional;

/**
 * How a model was trained, as Spark's {@code TrainingSummary} classes tell it: the loss per epoch
 * ({@link #objectiveHistory()}), the epochs run, and the metrics of the kept weights on the training
 * and validation data; and what the model directory's report shows: every epoch's figures
 * ({@link #history()}, the lines of {@code metrics.jsonl}), the confusion matrices, a regression's
 * sampled predictions and where the run trained. Available on a model fresh from {@code fit}, not
 * on one loaded from disk (as in Spark); the model directory keeps the same data in its
 * {@code metadata.json} and {@code metrics.jsonl}, and its report ({@code report.html} and the
 * plots), which {@code sparkprop report PATH} redraws.
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

    /**
     * Every epoch's figures as the model directory keeps them (a line of {@code metrics.jsonl}
     * each): losses, accuracy, validation metrics, learning rate, gradient norm, steps, timings.
     */
    public List<EpochRecord> history() {
        return result.history().stream().map(EpochStats::record).toList();
    }

    /**
     * The confusion matrix of the model's weights over the training rows (rows true class,
     * columns predicted class); empty for multi-label and regression models.
     */
    public Optional<double[][]> trainingConfusionMatrix() {
        return confusion(result.training());
    }

    /** {@link #trainingConfusionMatrix()} over the validation rows; empty also without validation data. */
    public Optional<double[][]> validationConfusionMatrix() {
        return Optional.ofNullable(result.validation()).flatMap(MLPTrainingSummary::confusion);
    }

    private static Optional<double[][]> confusion(Metrics metrics) {
        if (metrics instanceof MulticlassMetrics m) {
            return Optional.of(m.confusionMatrix());
        }
        return metrics instanceof BinaryMetrics b ? Optional.of(b.confusionMatrix()) : Optional.empty();
    }

    /**
     * A regression model's predictions beside the true values for a sample of the validation rows
     * (or of the training rows without validation data), what the report's scatter plot shows.
     */
    public Optional<SampledPredictions> predictionSample() {
        return result.predictions();
    }

    /** Where the model was trained: versions, master, executors, BLAS. */
    public Optional<RunEnvironment> environment() {
        return result.environment();
    }

    /** The memory the run held: the driver's true peak heap, the executors' peaks, spilled cached blocks. */
    public MemoryUse memory() {
        return result.memory();
    }

    /** Where the epochs' time went, added up over the epochs (see {@link EpochStats#times()} per epoch). */
    public TimeBreakdown epochTimes() {
        return result.epochTimes();
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
