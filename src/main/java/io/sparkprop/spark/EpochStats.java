package io.sparkprop.spark;

import io.sparkprop.engine.Metrics;
import io.sparkprop.io.EpochRecord;
import io.sparkprop.io.MetricSummary;
import java.util.Map;
import java.util.Optional;

/**
 * One epoch as the trainer saw it.
 *
 * @param loss mean training loss over the epoch's steps, each at the weights that step started
 *        from (they come out of the same passes as the gradients)
 * @param accuracy training accuracy measured the same way; NaN for regression and multi-label networks
 * @param validation metrics of the validation data at the weights after the epoch, or null
 * @param learningRate the rate of the epoch's last step
 * @param gradientNorm the L2 norm of the epoch's last mean gradient, before clipping and weight
 *        decay (what {@code --clip-norm} compares with)
 * @param steps synchronous steps (broadcast + aggregate) in the epoch
 * @param seconds wall-clock time of the steps, without the validation pass
 * @param overheadPerStep seconds per step not spent computing: step time minus the engine's time
 *        over the parallel task slots (scheduling, broadcast, aggregation, the driver's update)
 * @param validationSeconds wall-clock time of the validation pass
 * @param times where the {@code seconds} went; {@link TimeBreakdown#UNKNOWN} in epochs a
 *        checkpoint recorded before the breakdown existed
 */
public record EpochStats(int epoch, double loss, double accuracy, Metrics validation, double learningRate,
                         double gradientNorm, int steps,
                         double seconds, double rowsPerSecond, double overheadPerStep, double validationSeconds,
                         TimeBreakdown times)
        implements java.io.Serializable {

    public EpochStats {
        times = times == null ? TimeBreakdown.UNKNOWN : times; // null from an older checkpoint
    }

    /** An epoch without a time breakdown. */
    public EpochStats(int epoch, double loss, double accuracy, Metrics validation, double learningRate,
                      double gradientNorm, int steps, double seconds, double rowsPerSecond, double overheadPerStep,
                      double validationSeconds) {
        this(epoch, loss, accuracy, validation, learningRate, gradientNorm, steps, seconds, rowsPerSecond,
                overheadPerStep, validationSeconds, TimeBreakdown.UNKNOWN);
    }

    public double stepsPerSecond() {
        return steps / seconds;
    }

    /**
     * The epoch as the model directory keeps it ({@code metrics.jsonl}, the history in
     * {@code metadata.json}): a figure added here reaches the files by a line here and in {@link EpochRecord}.
     */
    public EpochRecord record() {
        return new EpochRecord(epoch, loss, accuracy, Optional.ofNullable(validation).map(MetricSummary::of),
                learningRate, gradientNorm, steps, seconds, rowsPerSecond, overheadPerStep,
                validation == null ? Double.NaN : validationSeconds,
                times.known() ? times.asMap() : Map.of());
    }
}
