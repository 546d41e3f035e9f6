package io.sparkprop.bench;

import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark MLlib's {@code MultilayerPerceptronClassifier} with {@code solver=gd} (full-batch gradient
 * descent, as sparkprop's default) on the same DataFrame. Seconds per iteration are measured as
 * (fit with 1 + k iterations − fit with 1 iteration) / k, after a warm-up fit, so data stacking,
 * caching and set-up cancel out and only the iterations are timed.
 */
public final class MllibMlp {
    private final int[] layers;
    private final int blockSize;
    private final long seed;

    /** @param blockSize rows MLlib stacks per matrix (its {@code blockSize}; set to sparkprop's for a like-for-like run) */
    public MllibMlp(int[] layers, int blockSize, long seed) {
        this.layers = layers;
        this.blockSize = blockSize;
        this.seed = seed;
    }

    public double secondsPerIteration(Dataset<Row> data, int iterations) {
        fit(data, 1); // warm-up: JIT, broadcast paths, caches
        double one = fit(data, 1);
        double many = fit(data, 1 + iterations);
        return (many - one) / iterations;
    }

    private double fit(Dataset<Row> data, int iterations) {
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
                .setLayers(layers)
                .setSolver("gd")
                .setBlockSize(blockSize)
                .setStepSize(0.5)
                .setMaxIter(iterations)
                .setTol(0.0) // never stop early: every fit runs all its iterations
                .setSeed(seed);
        long start = System.nanoTime();
        mlp.fit(data);
        return (System.nanoTime() - start) / 1e9;
    }
}
