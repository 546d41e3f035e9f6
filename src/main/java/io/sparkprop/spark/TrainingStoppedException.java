package io.sparkprop.spark;

/** Training was asked to stop (see {@link SparkTrainer#withStopRequest}) before it finished. */
public final class TrainingStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;

    TrainingStoppedException(int epoch, int step, int steps) {
        super("training stopped at epoch " + epoch + (steps > 1 ? ", step " + (step + 1) + " of " + steps : ""));
        this.epoch = epoch;
    }

    /** The epoch that was running (1-based). */
    public int epoch() {
        return epoch;
    }
}
