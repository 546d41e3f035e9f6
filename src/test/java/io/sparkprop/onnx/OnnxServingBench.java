package io.sparkprop.onnx;

import io.sparkprop.engine.Model;
import io.sparkprop.engine.Precision;
import io.sparkprop.io.DataFormat;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.ModelStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Not a unit test: what {@code scripts/bench-onnx.sh} runs. A trained model and its two ONNX
 * exports on a labelled test set (IDX, CSV, LIBSVM or Parquet): test accuracy by sparkprop's engine
 * and by ONNX Runtime, how many labels agree, the largest probability difference, and the rows per
 * second each scores on one thread (ONNX Runtime with one intra-op thread, the engine with
 * single-threaded BLAS), in blocks of 1,000 rows and one row at a time; the median of 5 timed
 * passes after 2 warm-up passes.
 *
 * <p>Arguments: MODEL_DIR FLOAT32_ONNX FLOAT64_ONNX TEST_DATA
 */
public final class OnnxServingBench {
    private static final int BLOCK = 1_000;
    private static final int SINGLE_ROWS = 2_000;

    private OnnxServingBench() {
    }

    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("onnx-serving-bench").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Model model = new ModelStore(spark.sparkContext().hadoopConfiguration()).load(args[0]);
        LabeledData test = new DataLoader(spark).load(args[3], DataFormat.detect(args[3]), Optional.empty());
        List<Row> rows = test.frame().select("features", "label").collectAsList();
        spark.stop();
        int n = rows.size();
        int d = model.network().inputSize();
        int k = model.network().outputSize();
        double[] x = new double[n * d];
        int[] truth = new int[n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(((Vector) rows.get(r).get(0)).toArray(), 0, x, r * d, d);
            truth[r] = (int) ((Number) rows.get(r).get(1)).doubleValue();
        }
        double[] engine = model.predict(x, n);
        int[] engineLabels = argMax(engine, n, k);
        System.out.printf("rows %,d, %s%n", n, model.network());
        System.out.printf("| scorer | test accuracy | labels equal to sparkprop's | max abs probability difference "
                + "| rows/s, blocks of %,d | rows/s, one row at a time |%n", BLOCK);
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf("| sparkprop engine (float64) | %.4f | %,d / %,d | 0 | %,.0f | %,.0f |%n",
                accuracy(engineLabels, truth), n, n, rowsPerSecond(() -> model.predict(x, BLOCK), BLOCK),
                rowsPerSecond(() -> {
                    for (int r = 0; r < SINGLE_ROWS; r++) {
                        model.predict(Arrays.copyOfRange(x, r * d, r * d + d), 1);
                    }
                }, SINGLE_ROWS));
        for (Precision precision : List.of(Precision.FLOAT32, Precision.FLOAT64)) {
            try (OnnxRun session = OnnxRun.singleThreaded(Path.of(args[precision == Precision.FLOAT32 ? 1 : 2]))) {
                double[] probabilities = session.score(x, n, d, precision).values();
                int[] labels = argMax(probabilities, n, k);
                int equal = 0;
                double worst = 0;
                for (int r = 0; r < n; r++) {
                    equal += labels[r] == engineLabels[r] ? 1 : 0;
                }
                for (int j = 0; j < probabilities.length; j++) {
                    worst = Math.max(worst, Math.abs(probabilities[j] - engine[j]));
                }
                System.out.printf("| ONNX Runtime (%s) | %.4f | %,d / %,d | %.1e | %,.0f | %,.0f |%n",
                        precision.id(), accuracy(labels, truth), equal, n, worst,
                        rowsPerSecond(() -> session.score(x, BLOCK, d, precision), BLOCK),
                        rowsPerSecond(() -> {
                            for (int r = 0; r < SINGLE_ROWS; r++) {
                                session.score(Arrays.copyOfRange(x, r * d, r * d + d), 1, d, precision);
                            }
                        }, SINGLE_ROWS));
            }
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    /** Rows per second of {@code work}, which scores {@code rows} rows: the median of 5 passes after 2 warm-up passes. */
    private static double rowsPerSecond(Work work, int rows) throws Exception {
        double[] seconds = new double[5];
        for (int pass = -2; pass < seconds.length; pass++) {
            long start = System.nanoTime();
            work.run();
            if (pass >= 0) {
                seconds[pass] = (System.nanoTime() - start) / 1e9;
            }
        }
        Arrays.sort(seconds);
        return rows / seconds[seconds.length / 2];
    }

    private static int[] argMax(double[] p, int rows, int k) {
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                best = p[r * k + j] > p[r * k + best] ? j : best;
            }
            labels[r] = best;
        }
        return labels;
    }

    private static double accuracy(int[] labels, int[] truth) {
        int right = 0;
        for (int r = 0; r < labels.length; r++) {
            right += labels[r] == truth[r] ? 1 : 0;
        }
        return (double) right / labels.length;
    }
}
