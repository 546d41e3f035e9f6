package io.sparkprop.spark;

import io.sparkprop.engine.Precision;
import java.io.Serializable;

/**
 * How to train: every knob of a run, recorded in the model's metadata.
 *
 * @param epochs number of passes over the data (one full-batch step each)
 * @param learningRate η in {@code W ← W − η∇}
 * @param seed seed of the weight initialisation
 * @param partitions repartition the data into this many partitions first; 0 keeps the input's
 * @param blockSize rows stacked into one matrix for GEMM
 * @param aggregationDepth depth of the tree that merges the partitions' gradient sums
 * @param precision arithmetic of the cached blocks and the per-block passes
 */
public record TrainingConfig(int epochs, double learningRate, long seed, int partitions, int blockSize,
                             int aggregationDepth, Precision precision) implements Serializable {

    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_BLOCK_SIZE = 1024;
    public static final int DEFAULT_AGGREGATION_DEPTH = 2;

    public TrainingConfig {
        require(epochs >= 0, "epochs must be 0 or more, got " + epochs);
        require(learningRate > 0 && Double.isFinite(learningRate),
                "learning rate must be a positive number, got " + learningRate);
        require(partitions >= 0, "partitions must be 0 (keep the input's) or more, got " + partitions);
        require(blockSize >= 1, "block size must be at least 1, got " + blockSize);
        require(aggregationDepth >= 1, "aggregation depth must be at least 1, got " + aggregationDepth);
        java.util.Objects.requireNonNull(precision, "precision");
    }

    /** A float64 configuration. */
    public TrainingConfig(int epochs, double learningRate, long seed, int partitions, int blockSize,
                          int aggregationDepth) {
        this(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, Precision.FLOAT64);
    }

    /** Full-batch gradient descent with the default seed, block size and tree depth. */
    public static TrainingConfig of(int epochs, double learningRate) {
        return new TrainingConfig(epochs, learningRate, DEFAULT_SEED, 0, DEFAULT_BLOCK_SIZE,
                DEFAULT_AGGREGATION_DEPTH);
    }

    public TrainingConfig withSeed(long newSeed) {
        return new TrainingConfig(epochs, learningRate, newSeed, partitions, blockSize, aggregationDepth, precision);
    }

    public TrainingConfig withPartitions(int newPartitions) {
        return new TrainingConfig(epochs, learningRate, seed, newPartitions, blockSize, aggregationDepth, precision);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
