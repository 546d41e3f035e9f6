package io.sparkprop.bench;

import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark MLlib's {@code MultilayerPerceptronClassifier} (sigmoid hidden layers, softmax output) on
 * the same data as sparkprop, for the benchmarks: the time of its iterations, and its
 * time-to-accuracy.
 */
public final class MllibMlp {
    /** One fit: its solver and budget, its wall-clock time and its test accuracy. */
    public record Result(String solver, int maxIterations, double seconds, double testAccuracy) {
    }

    private final int[] layers;
    private final int blockSize;
    private final long seed;

    /** @param blockSize rows MLlib stacks per matrix (its {@code blockSize}; set to sparkprop's for a like-for-like run) */
    public MllibMlp(int[] layers, int blockSize, long seed) {
        this.layers = layers;
        this.blockSize = blockSize;
        this.seed = seed;
    }

    /**
     * Seconds per iteration of {@code solver=gd} (full-batch gradient descent, as sparkprop's
     * default), measured as (fit with 1 + k iterations − fit with 1 iteration) / k after a warm-up
     * fit, so data stacking, caching and set-up cancel out and only the iterations are timed.
     */
    public double secondsPerIteration(Dataset<Row> data, int iterations) {
        fit(data, "gd", 1, 0.5, 0.0); // warm-up: JIT, broadcast paths, caches
        double one = time(data, 1);
        double many = time(data, 1 + iterations);
        return (many - one) / iterations;
    }

    private double time(Dataset<Row> data, int iterations) {
        long start = System.nanoTime();
        fit(data, "gd", iterations, 0.5, 0.0); // tolerance 0: every fit runs all its iterations
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Trains with MLlib's own defaults apart from the given solver and budget and measures the
     * accuracy on {@code test}; the time is {@code fit}'s wall clock, data stacking and caching
     * included, as sparkprop's training time includes them.
     *
     * @param solver "l-bfgs" (MLlib's default and its best) or "gd"
     * @param stepSize gd's learning rate (ignored by l-bfgs)
     */
    public Result timeToAccuracy(Dataset<Row> train, Dataset<Row> test, String solver, int maxIterations,
                                 double stepSize) {
        long start = System.nanoTime();
        MultilayerPerceptronClassificationModel model = fit(train, solver, maxIterations, stepSize, 1e-6);
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(test));
        return new Result(solver, maxIterations, seconds, accuracy);
    }

    private MultilayerPerceptronClassificationModel fit(Dataset<Row> data, String solver, int iterations,
                                                        double stepSize, double tolerance) {
        return new MultilayerPerceptronClassifier()
                .setLayers(layers)
                .setSolver(solver)
                .setBlockSize(blockSize)
                .setStepSize(stepSize)
                .setMaxIter(iterations)
                .setTol(tolerance)
                .setSeed(seed)
                .fit(data);
    }
}
