package io.sparkprop.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.MiniBatchPlan;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Standardization;
import io.sparkprop.io.DataErrors;
import io.sparkprop.io.InvalidDataException;
import io.sparkprop.optim.UpdateState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-parallel training of a multilayer perceptron on Spark.
 *
 * <p>The data is read once into cached {@link Block}s (memory, spilling to disk). Every step is
 * synchronous: the {@link DistributedGradient} broadcasts the weights and sums the gradient over
 * the step's rows — all of them for full-batch training, else each partition's share of the
 * mini-batch a {@link MiniBatchPlan} assigns — and the driver divides by the number of examples and
 * steps the run's {@link UpdateState}. After every epoch the validation data, if any, is evaluated;
 * with early stopping the best epoch's weights are kept. Deterministic for a given seed, data and
 * partitioning.
 *
 * <pre>{@code
 * Dataset<Row> data = ...;  // columns "features" (ml.linalg.Vector) and "label" (class index)
 * Network net = Network.parse("relu(256)|softmax(10)", 784, Loss.CATEGORICAL_CROSS_ENTROPY);
 * TrainingConfig config = TrainingConfig.of(20, 1e-3).withBatchSize(1024)
 *         .withOptimizer(new Adam()).withSchedule(new LearningRateSchedule.Cosine(0));
 * TrainingResult result = new SparkTrainer(config).fit(data, net);
 * }</pre>
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private final TrainingConfig config;
    private final String featuresCol;
    private final String labelCol;
    private final String weightCol;
    private final Consumer<EpochStats> listener;
    private final Dataset<Row> validation;
    private final BooleanSupplier stopRequested;

    public SparkTrainer(TrainingConfig config) {
        this(config, "features", "label", null, stats -> { }, null, () -> false);
    }

    private SparkTrainer(TrainingConfig config, String featuresCol, String labelCol, String weightCol,
                         Consumer<EpochStats> listener, Dataset<Row> validation, BooleanSupplier stopRequested) {
        this.config = config;
        this.featuresCol = featuresCol;
        this.labelCol = labelCol;
        this.weightCol = weightCol;
        this.listener = listener;
        this.validation = validation;
        this.stopRequested = stopRequested;
    }

    /** Reads features and labels from these columns instead of "features" and "label". */
    public SparkTrainer withColumns(String features, String label) {
        return withColumns(features, label, null);
    }

    /**
     * Also weighs each row by {@code weight} (a numeric column, finite and ≥ 0; null for all 1):
     * the gradient and loss of a step are weighted sums divided by the total weight, so an integer
     * weight counts like that many copies of the row, and the training and validation metrics are
     * weighted alike (the validation data needs the column too). A step whose rows weigh 0 in
     * total learns nothing; training data weighing 0 in all is refused. With standardisation, the
     * features' means and deviations are weighted too (Spark's {@link Summarizer} with weights:
     * reliability weights, so the variance divides by Σw − Σw²/Σw rather than by Σw − 1).
     */
    public SparkTrainer withColumns(String features, String label, String weight) {
        return new SparkTrainer(config, features, label, weight, listener, validation, stopRequested);
    }

    /** Calls {@code onEpoch} on the driver after every epoch. */
    public SparkTrainer withListener(Consumer<EpochStats> onEpoch) {
        return new SparkTrainer(config, featuresCol, labelCol, weightCol, onEpoch, validation, stopRequested);
    }

    /** Evaluates on {@code data} (same columns as the training data) after every epoch. */
    public SparkTrainer withValidation(Dataset<Row> data) {
        return new SparkTrainer(config, featuresCol, labelCol, weightCol, listener, data, stopRequested);
    }

    /**
     * Asks {@code stop} before every step and ends training with a {@link TrainingStoppedException}
     * once it answers true (e.g. after SIGTERM; cancel the running Spark jobs too, so the step in
     * flight ends at once).
     */
    public SparkTrainer withStopRequest(BooleanSupplier stop) {
        return new SparkTrainer(config, featuresCol, labelCol, weightCol, listener, validation, stop);
    }

    /** Trains {@code network} from weights initialised with the configured seed. */
    public TrainingResult fit(Dataset<Row> data, Network network) {
        return train(data, network, Initializer.initialize(network, config.seed()), null);
    }

    /**
     * Continues training from {@code start}'s weights, with its standardisation if it has one.
     * Optimizer state (momentum, Adam's moments) starts afresh.
     */
    public TrainingResult fit(Dataset<Row> data, Model start) {
        return train(data, start.network(), start.parameters(), start.standardization().orElse(null));
    }

    private TrainingResult train(Dataset<Row> data, Network network, double[] params, Standardization inherited) {
        long started = System.nanoTime();
        Dataset<Row> trainData = data;
        Dataset<Row> validationData = validation;
        if (validationData == null && config.validationFraction() > 0) {
            Dataset<Row>[] split = data.randomSplit(
                    new double[] {1 - config.validationFraction(), config.validationFraction()}, config.seed());
            trainData = split[0];
            validationData = split[1];
        }
        if (config.patience() > 0 && validationData == null) {
            throw new IllegalArgumentException("early stopping needs validation data: give validation data "
                    + "or a validation fraction");
        }
        Standardization standardization = standardization(trainData, network, inherited);
        boolean repartition = config.partitions() > 0 && trainData.rdd().getNumPartitions() != config.partitions();
        Dataset<Row> input = repartition ? repartitioned(trainData, config.partitions()) : trainData;
        JavaRDD<Block> blocks = cache(input, weightCol, network, standardization);
        JavaRDD<Block> validationBlocks = validationData == null ? null
                : cache(validationData, weightCol, network, standardization);
        try {
            long rows = rowCount(blocks);
            if (rows == 0) {
                throw new InvalidDataException("the training data has no rows");
            }
            if (validationBlocks != null && rowCount(validationBlocks) == 0) {
                throw new InvalidDataException("the validation data has no rows");
            }
            if (weightCol != null) {
                requireWeight(blocks, "training");
                if (validationBlocks != null) {
                    requireWeight(validationBlocks, "validation");
                }
            }
            Run run = new Run(network, params, blocks, validationBlocks, rows);
            run.epochs();
            Metrics training = DataErrors.rethrowing(() -> run.gradient.evaluate(run.params));
            run.guard.checkFinal(training.meanLoss());
            Metrics validated = run.validation == null ? null
                    : DataErrors.rethrowing(() -> run.validation.evaluate(run.params));
            return new TrainingResult(new Model(network, run.params, standardization), config, rows, run.history,
                    training, validated, run.keptEpoch, (System.nanoTime() - started) / 1e9);
        } finally {
            blocks.unpersist(false);
            if (validationBlocks != null) {
                validationBlocks.unpersist(false);
            }
        }
    }

    /** The epochs of one run, with the state that carries from step to step. */
    private final class Run {
        final Network network;
        final double[] params;
        final DistributedGradient gradient;
        final DistributedGradient validation;
        final long rows;
        final MiniBatchPlan plan;
        final int slots;
        final List<EpochStats> history = new ArrayList<>();
        final DivergenceGuard guard = new DivergenceGuard(config.learningRate());
        int keptEpoch;

        Run(Network network, double[] params, JavaRDD<Block> blocks, JavaRDD<Block> validationBlocks, long rows) {
            this.network = network;
            this.params = params;
            this.gradient = new DistributedGradient(blocks, network, config.aggregationDepth());
            this.validation = validationBlocks == null ? null
                    : new DistributedGradient(validationBlocks, network, config.aggregationDepth());
            this.rows = rows;
            int partitions = blocks.getNumPartitions();
            this.plan = config.batchSize() > 0 && config.batchSize() < rows
                    ? new MiniBatchPlan(config.seed(), rows, config.batchSize(), partitions) : null;
            this.slots = Math.max(1, Math.min(partitions, blocks.context().defaultParallelism()));
            logCostEstimate(blocks, partitions);
        }

        /**
         * The scaling model's view of a step before the first one runs, and a warning when
         * communication would dominate and the job has a knob to change that.
         */
        private void logCostEstimate(JavaRDD<Block> blocks, int partitions) {
            SparkContext sc = blocks.context();
            int executors = sc.isLocal() ? 1 : Math.max(1, sc.getExecutorMemoryStatus().size() - 1);
            long rowsPerStep = plan == null ? rows : Math.min(rows, config.batchSize());
            StepCostModel.Estimate estimate = StepCostModel.reference(config.precision(), sc.isLocal()).estimate(network,
                    rowsPerStep, slots, executors, partitions, config.aggregationDepth());
            LOG.info("estimated step ({} rows, {} task slots, {} executors, {} partitions): {}", rowsPerStep, slots,
                    executors, partitions, estimate.describe());
            if (!estimate.communicationDominates()) {
                return;
            }
            if (!sc.isLocal()) {
                LOG.warn("communication is estimated to dominate each step ({}); larger batches, fewer partitions or "
                        + "fewer executors would spend more of it computing (see docs/SCALING.md)", estimate.describe());
            } else if (plan != null) {
                // In local mode only the batch size trades against the fixed cost of a step; a
                // full-batch job that small simply takes that cost once per epoch.
                LOG.warn("Spark's fixed cost per step is estimated to dominate each step ({}); a larger batch size "
                        + "would spend more of it computing (see docs/SCALING.md)", estimate.describe());
            }
        }

        void epochs() {
            UpdateState update = UpdateState.create(config.update(), network, config.learningRate(), config.epochs());
            int steps = plan == null ? 1 : plan.stepsPerEpoch();
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            double[] best = null; // with early stopping, the weights after the best validation epoch
            double previousLoss = Double.NaN;
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                GradientSum seen = new GradientSum(0); // loss, count and correct answers over the epoch's steps
                double rate = Double.NaN;
                for (int step = 0; step < steps; step++) {
                    int e = epoch - 1;
                    int s = step;
                    if (stopRequested.getAsBoolean()) {
                        throw new TrainingStoppedException(epoch, step, steps);
                    }
                    GradientSum sum = DataErrors.rethrowing(() -> plan == null ? gradient.compute(params)
                            : gradient.compute(params, plan, e, s, config.blockSize()));
                    if (sum.weight() == 0) {
                        continue; // tiny partitions (or zero weights) can leave a step without rows to learn from
                    }
                    double[] mean = sum.meanGradient();
                    rate = update.step(params, mean, e + (double) s / steps);
                    guard.check(epoch, step, steps, sum.meanLoss(), mean, params);
                    seen.mergeTotals(sum);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                Metrics validated = validation == null ? null : DataErrors.rethrowing(() -> validation.evaluate(params));
                double validationSeconds = (System.nanoTime() - t0) / 1e9 - seconds;
                double overhead = (seconds - seen.computeNanos() / 1e9 / slots) / steps;
                EpochStats stats = new EpochStats(epoch, seen.meanLoss(), accuracy(network, seen), validated, rate,
                        update.lastGradientNorm(), steps, seconds, rows / seconds, Math.max(0, overhead), validationSeconds);
                history.add(stats);
                listener.accept(stats);
                if (config.patience() > 0) {
                    if (validated.meanLoss() < bestLoss) {
                        bestLoss = validated.meanLoss();
                        bestEpoch = epoch;
                        best = params.clone();
                    } else if (epoch - bestEpoch >= config.patience()) {
                        break;
                    }
                }
                if (config.tol() > 0 && previousLoss - stats.loss() < config.tol() * Math.abs(previousLoss)) {
                    LOG.info("epoch {}: the training loss fell by less than tol = {} of the previous epoch's; "
                            + "training has converged", epoch, config.tol());
                    break; // NaN at the first epoch compares false
                }
                previousLoss = stats.loss();
            }
            keptEpoch = history.size();
            if (best != null) {
                System.arraycopy(best, 0, params, 0, params.length);
                keptEpoch = bestEpoch;
            }
        }
    }

    /**
     * {@code data} in {@code partitions} partitions that hold the same rows in the same order on
     * every run. Spark's round-robin repartition already puts the same rows in each partition (it
     * sorts before it deals), but a partition receives them in the order its shuffle blocks arrive,
     * which on a cluster changes from run to run — and sums and mini-batches depend on row order.
     * Sorting each partition by the rows' original position (partition index and offset, which
     * {@code monotonically_increasing_id} encodes) fixes the order.
     */
    static Dataset<Row> repartitioned(Dataset<Row> data, int partitions) {
        String position = "__sparkprop_position";
        return data.withColumn(position, monotonically_increasing_id())
                .repartition(partitions)
                .sortWithinPartitions(position)
                .drop(position);
    }

    private static long rowCount(JavaRDD<Block> blocks) {
        return DataErrors.rethrowing(() -> blocks.map(Block::rows).fold(0, Integer::sum).longValue());
    }

    /** Refuses weighted data whose rows all weigh 0: its every mean would be 0 / 0. */
    private void requireWeight(JavaRDD<Block> blocks, String what) {
        double total = DataErrors.rethrowing(() -> blocks.map(Block::totalWeight).fold(0.0, Double::sum));
        if (total == 0) {
            throw new InvalidDataException("the " + what + " data's weights (column " + weightCol
                    + ") are all 0; expected some rows of positive weight");
        }
    }

    private JavaRDD<Block> cache(Dataset<Row> data, String weights, Network network, Standardization standardization) {
        return Blocks.cached(data, featuresCol, labelCol, weights, network, config.blockSize(), config.precision(),
                standardization);
    }

    /**
     * The standardisation to train with: the start model's, or with {@code standardize} the
     * training data's means and sample deviations, from one pass of Spark's {@link Summarizer}
     * (weighted by the weight column, if any).
     */
    private Standardization standardization(Dataset<Row> data, Network network, Standardization inherited) {
        if (inherited != null || !config.standardize()) {
            return inherited;
        }
        Column summarized;
        Dataset<Row> rows = data;
        if (weightCol == null) {
            summarized = Summarizer.metrics("mean", "variance").summary(col(featuresCol));
        } else {
            // The Summarizer fails without a row number on a weight that is not finite and > 0
            // (0: when nothing else is left); it leaves those rows out, and caching the blocks
            // reports the first bad weight.
            Column weight = col(weightCol).cast("double");
            rows = data.where(weight.gt(0).and(weight.lt(Double.POSITIVE_INFINITY)));
            if (DataErrors.rethrowing(rows::isEmpty)) {
                // No row of positive weight: say which row's weight is bad, or that they are all 0.
                JavaRDD<Block> unstandardized = Blocks.fromDataset(data, featuresCol, labelCol, weightCol, network,
                        config.blockSize(), config.precision(), null);
                if (rowCount(unstandardized) > 0) {
                    requireWeight(unstandardized, "training");
                }
            }
            summarized = Summarizer.metrics("mean", "variance").summary(col(featuresCol), weight);
        }
        Dataset<Row> summarizedRows = rows;
        Row summary = DataErrors.rethrowing(() -> summarizedRows.select(summarized.as("s")).first().getStruct(0));
        Vector mean = summary.getAs("mean");
        Vector variance = summary.getAs("variance");
        if (mean == null || mean.size() != network.inputSize()) {
            throw new InvalidDataException("cannot standardise: the training data has no rows or its features are not "
                    + network.inputSize() + " wide");
        }
        return Standardization.fromMoments(mean.toArray(), variance.toArray());
    }

    /** The running accuracy of one-label classifiers; NaN for regression and multi-label networks. */
    private static double accuracy(Network network, GradientSum sum) {
        Metrics.Task task = Metrics.taskOf(network);
        return task == Metrics.Task.MULTICLASS || task == Metrics.Task.BINARY ? sum.accuracy() : Double.NaN;
    }
}
