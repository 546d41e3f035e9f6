package io.sparkprop.bench;

import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark MLlib's {@code MultilayerPerceptronClassifier} trained to convergence or to an iteration
 * budget, for comparing time-to-accuracy with sparkprop on the same split: wall-clock seconds of
 * {@code fit} (data stacking and caching included, as in sparkprop's training time) and accuracy
 * on the test data.
 */
public final class MllibBaseline {
    /** One fit: its solver and budget, its time and its test accuracy. */
    public record Result(String solver, int maxIterations, double seconds, double testAccuracy) {
    }

    private final int[] layers;
    private final int blockSize;
    private final long seed;

    public MllibBaseline(int[] layers, int blockSize, long seed) {
        this.layers = layers;
        this.blockSize = blockSize;
        this.seed = seed;
    }

    /**
     * @param solver "l-bfgs" (MLlib's default and its best) or "gd"
     * @param stepSize gd's learning rate (ignored by l-bfgs)
     */
    public Result fit(Dataset<Row> train, Dataset<Row> test, String solver, int maxIterations, double stepSize) {
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
                .setLayers(layers)
                .setSolver(solver)
                .setBlockSize(blockSize)
                .setStepSize(stepSize)
                .setMaxIter(maxIterations)
                .setSeed(seed);
        long start = System.nanoTime();
        MultilayerPerceptronClassificationModel model = mlp.fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(test));
        return new Result(solver, maxIterations, seconds, accuracy);
    }
}
