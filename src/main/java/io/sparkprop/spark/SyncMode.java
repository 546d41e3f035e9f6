package io.sparkprop.spark;

import java.util.Locale;

/**
 * How the partitions meet at each synchronous mini-batch step. Both ways give the same result to
 * the bit; they differ in what a step costs.
 */
public enum SyncMode {
    /** Whichever the scaling model (docs/SCALING.md) estimates cheaper, where barrier steps can run at all. */
    AUTO,
    /** One Spark job per step: broadcast the weights, sum where the data lives, tree-aggregate to the driver. */
    JOBS,
    /**
     * Barrier jobs of many steps (about a minute of epochs, or an epoch when validating): the tasks
     * stay alive and exchange their partial sums at every step, each applying the same update.
     * Needs a task slot for every partition at once.
     */
    BARRIER;

    /** The name users write: auto, jobs or barrier. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the valid values */
    public static SyncMode parse(String text) {
        for (SyncMode mode : values()) {
            if (mode.id().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("sync must be auto, jobs or barrier, got '" + text + "'");
    }
}
