package io.sparkprop.spark;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.io.InvalidDataException;
import io.sparkprop.optim.GradientDescent;
import io.sparkprop.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Data-parallel training of a multilayer perceptron on Spark.
 *
 * <p>The data is read once into cached {@link Block}s (memory, spilling to disk). Each epoch is
 * one synchronous full-batch step: the {@link DistributedGradient} broadcasts the weights and sums
 * the gradient over every block, the driver divides by the number of examples and applies the
 * {@link Optimizer}. Deterministic for a given seed, data and partitioning.
 *
 * <pre>{@code
 * Dataset<Row> data = ...;  // columns "features" (ml.linalg.Vector) and "label" (class index)
 * Network net = Network.parse("sigmoid(64)|softmax(10)", 784, Loss.CATEGORICAL_CROSS_ENTROPY);
 * TrainingResult result = new SparkTrainer(TrainingConfig.of(100, 0.5)).fit(data, net);
 * }</pre>
 */
public final class SparkTrainer {
    private final TrainingConfig config;
    private final String featuresCol;
    private final String labelCol;
    private final Consumer<EpochStats> listener;

    public SparkTrainer(TrainingConfig config) {
        this(config, "features", "label", stats -> { });
    }

    private SparkTrainer(TrainingConfig config, String featuresCol, String labelCol, Consumer<EpochStats> listener) {
        this.config = config;
        this.featuresCol = featuresCol;
        this.labelCol = labelCol;
        this.listener = listener;
    }

    /** Reads features and labels from these columns instead of "features" and "label". */
    public SparkTrainer withColumns(String features, String label) {
        return new SparkTrainer(config, features, label, listener);
    }

    /** Calls {@code onEpoch} on the driver after every epoch. */
    public SparkTrainer withListener(Consumer<EpochStats> onEpoch) {
        return new SparkTrainer(config, featuresCol, labelCol, onEpoch);
    }

    /** Trains {@code network} from weights initialised with the configured seed. */
    public TrainingResult fit(Dataset<Row> data, Network network) {
        return train(data, network, Initializer.initialize(network, config.seed()));
    }

    /** Continues training from {@code start}'s weights. */
    public TrainingResult fit(Dataset<Row> data, Model start) {
        return train(data, start.network(), start.parameters());
    }

    private TrainingResult train(Dataset<Row> data, Network network, double[] params) {
        long started = System.nanoTime();
        boolean repartition = config.partitions() > 0 && data.rdd().getNumPartitions() != config.partitions();
        Dataset<Row> input = repartition ? data.repartition(config.partitions()) : data;
        JavaRDD<Block> blocks = Blocks.cached(input, featuresCol, labelCol, network, config.blockSize(),
                config.precision());
        try {
            long rows = rethrowingDataErrors(() -> blocks.map(Block::rows).fold(0, Integer::sum).longValue());
            if (rows == 0) {
                throw new InvalidDataException("the training data has no rows");
            }
            DistributedGradient gradient = new DistributedGradient(blocks, network, config.aggregationDepth());
            Optimizer optimizer = new GradientDescent();
            List<EpochStats> history = new ArrayList<>();
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                GradientSum sum = rethrowingDataErrors(() -> gradient.compute(params));
                double[] mean = sum.meanGradient();
                requireFinite(sum, mean, epoch);
                optimizer.step(params, mean, config.learningRate());
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochStats stats = new EpochStats(epoch, sum.meanLoss(), accuracy(network, sum), seconds,
                        rows / seconds);
                history.add(stats);
                listener.accept(stats);
            }
            GradientSum last = rethrowingDataErrors(() -> gradient.evaluate(params));
            requireFinite(last, last.gradient(), config.epochs() + 1);
            return new TrainingResult(new Model(network, params), config, rows, history, last.meanLoss(),
                    accuracy(network, last), (System.nanoTime() - started) / 1e9);
        } finally {
            blocks.unpersist(false);
        }
    }

    private static double accuracy(Network network, GradientSum sum) {
        return network.isClassifier() ? sum.accuracy() : Double.NaN;
    }

    private void requireFinite(GradientSum sum, double[] gradient, int epoch) {
        boolean finite = Double.isFinite(sum.loss());
        for (int i = 0; finite && i < gradient.length; i++) {
            finite = Double.isFinite(gradient[i]);
        }
        if (!finite) {
            throw new DivergenceException("training diverged at epoch " + epoch + ": the loss or gradient is "
                    + sum.meanLoss() + "; try a smaller learning rate than " + config.learningRate());
        }
    }

    private interface SparkJob<T> {
        T run() throws Exception;
    }

    /**
     * Runs a Spark job; if it failed because of the data (an {@link InvalidDataException} thrown in
     * a task), rethrows that exception alone, so the user sees what is wrong with the data rather
     * than the scheduler's wrapping.
     */
    static <T> T rethrowingDataErrors(SparkJob<T> job) {
        try {
            return job.run();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidDataException data) {
                    throw new InvalidDataException(data.getMessage(), e);
                }
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e);
        }
    }
}
