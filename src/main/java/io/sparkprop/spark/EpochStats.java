package io.sparkprop.spark;

/**
 * One epoch as the trainer saw it: mean loss and training accuracy at the weights the epoch
 * started from (they come out of the same pass as the gradient), the wall-clock seconds of the
 * step and the rows processed per second. Accuracy is NaN for regression networks.
 */
public record EpochStats(int epoch, double loss, double accuracy, double seconds, double rowsPerSecond) {
}
