package io.sparkprop.spark;

import io.sparkprop.engine.Precision;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.Optimizer;
import io.sparkprop.optim.UpdateRule;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to train: every knob of a run, recorded in the model's metadata.
 *
 * @param epochs passes over the data
 * @param learningRate η, the base learning rate (schedules start from it)
 * @param seed seed of the weight initialisation, the mini-batch shuffles and the validation split
 * @param partitions repartition the data into this many partitions first; 0 keeps the input's
 * @param blockSize rows stacked into one matrix for GEMM
 * @param aggregationDepth depth of the tree that merges the partitions' gradient sums
 * @param precision arithmetic of the cached blocks and the per-block passes
 * @param batchSize rows per synchronous step summed over all partitions; 0 for full-batch steps
 *        (one per epoch)
 * @param update the optimizer, its learning-rate schedule and warm-up, weight decay and clipping;
 *        the warm-up at most the run's length
 * @param standardize standardise the features with the training data's mean and deviation
 * @param validationFraction hold out this fraction of the data (split by the seed) for validation
 *        when no validation data is given; 0 for none
 * @param patience stop after this many epochs without a lower validation loss and keep the best
 *        epoch's weights; 0 to train every epoch
 * @param tol stop after an epoch whose mean training loss fell by less than this fraction of the
 *        previous epoch's ({@code previous − current < tol · |previous|}, also when it rose); 0
 *        to train every epoch
 */
public record TrainingConfig(int epochs, double learningRate, long seed, int partitions, int blockSize,
                             int aggregationDepth, Precision precision, int batchSize, UpdateRule update,
                             boolean standardize, double validationFraction, int patience, double tol)
        implements Serializable {

    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_BLOCK_SIZE = 1024;
    public static final int DEFAULT_AGGREGATION_DEPTH = 2;

    public TrainingConfig {
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(learningRate > 0 && Double.isFinite(learningRate),
                "learning rate must be a positive number, got " + learningRate);
        require(partitions >= 0, "partitions must be 0 (keep the input's) or more, got " + partitions);
        require(blockSize >= 1, "block size must be at least 1, got " + blockSize);
        require(aggregationDepth >= 1, "aggregation depth must be at least 1, got " + aggregationDepth);
        Objects.requireNonNull(precision, "precision");
        require(batchSize >= 0, "batch size must be 0 (full batch) or more, got " + batchSize);
        Objects.requireNonNull(update, "update").requireCompatible(learningRate);
        // A warm-up the run never finishes would never train at the chosen rate: most likely steps
        // given where epochs are meant.
        require(update.warmupEpochs() <= epochs, "warm-up epochs must be at most the number of epochs (" + epochs
                + "), got " + update.warmupEpochs());
        require(validationFraction >= 0 && validationFraction < 1,
                "validation fraction must be in [0, 1), got " + validationFraction);
        require(patience >= 0, "early-stopping patience must be 0 (off) or more epochs, got " + patience);
        require(tol >= 0 && Double.isFinite(tol), "tol must be a finite number >= 0, got " + tol);
    }

    /** Without a tolerance: every epoch is trained (unless early stopping ends the run). */
    public TrainingConfig(int epochs, double learningRate, long seed, int partitions, int blockSize,
                          int aggregationDepth, Precision precision, int batchSize, UpdateRule update,
                          boolean standardize, double validationFraction, int patience) {
        this(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, precision, batchSize, update,
                standardize, validationFraction, patience, 0.0);
    }

    /** Full-batch float64 gradient descent. */
    public TrainingConfig(int epochs, double learningRate, long seed, int partitions, int blockSize,
                          int aggregationDepth) {
        this(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, Precision.FLOAT64, 0,
                UpdateRule.defaults(), false, 0.0, 0);
    }

    /** Full-batch gradient descent with the default seed, block size and tree depth. */
    public static TrainingConfig of(int epochs, double learningRate) {
        return new TrainingConfig(epochs, learningRate, DEFAULT_SEED, 0, DEFAULT_BLOCK_SIZE,
                DEFAULT_AGGREGATION_DEPTH);
    }

    public TrainingConfig withSeed(long newSeed) {
        return new TrainingConfig(epochs, learningRate, newSeed, partitions, blockSize, aggregationDepth, precision,
                batchSize, update, standardize, validationFraction, patience, tol);
    }

    public TrainingConfig withPartitions(int newPartitions) {
        return new TrainingConfig(epochs, learningRate, seed, newPartitions, blockSize, aggregationDepth, precision,
                batchSize, update, standardize, validationFraction, patience, tol);
    }

    public TrainingConfig withPrecision(Precision newPrecision) {
        return new TrainingConfig(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, newPrecision,
                batchSize, update, standardize, validationFraction, patience, tol);
    }

    public TrainingConfig withBatchSize(int newBatchSize) {
        return new TrainingConfig(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, precision,
                newBatchSize, update, standardize, validationFraction, patience, tol);
    }

    public TrainingConfig withUpdate(UpdateRule newUpdate) {
        return new TrainingConfig(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, precision,
                batchSize, newUpdate, standardize, validationFraction, patience, tol);
    }

    /** The same update rule with another optimizer. */
    public TrainingConfig withOptimizer(Optimizer newOptimizer) {
        return withUpdate(update.withOptimizer(newOptimizer));
    }

    /** The same update rule with another learning-rate schedule. */
    public TrainingConfig withSchedule(LearningRateSchedule newSchedule) {
        return withUpdate(update.withSchedule(newSchedule));
    }

    public TrainingConfig withStandardize(boolean newStandardize) {
        return new TrainingConfig(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, precision,
                batchSize, update, newStandardize, validationFraction, patience, tol);
    }

    public TrainingConfig withValidationFraction(double newFraction) {
        return new TrainingConfig(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, precision,
                batchSize, update, standardize, newFraction, patience, tol);
    }

    public TrainingConfig withPatience(int newPatience) {
        return new TrainingConfig(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, precision,
                batchSize, update, standardize, validationFraction, newPatience, tol);
    }

    public TrainingConfig withTol(double newTol) {
        return new TrainingConfig(epochs, learningRate, seed, partitions, blockSize, aggregationDepth, precision,
                batchSize, update, standardize, validationFraction, patience, newTol);
    }

    /**
     * Every setting by the name the model's metadata records it under: what a checkpoint compares
     * to tell whether a resumed run is the same run.
     */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("epochs", epochs);
        settings.put("batchSize", batchSize);
        settings.put("learningRate", learningRate);
        settings.put("optimizer", update.settings());
        settings.put("seed", seed);
        settings.put("partitions", partitions);
        settings.put("blockSize", blockSize);
        settings.put("aggregationDepth", aggregationDepth);
        settings.put("precision", precision.id());
        settings.put("standardize", standardize);
        settings.put("validationFraction", validationFraction);
        settings.put("earlyStoppingPatience", patience);
        settings.put("tol", tol);
        return settings;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
