package io.sparkprop.cli;

import io.sparkprop.bench.EngineOnly;
import io.sparkprop.bench.GemmPeak;
import io.sparkprop.bench.MllibMlp;
import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.EpochFlops;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.io.LabeledData;
import io.sparkprop.optim.UpdateRule;
import io.sparkprop.optim.UpdateState;
import io.sparkprop.spark.Blocks;
import io.sparkprop.spark.DistributedGradient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        sortOptions = false,
        header = "Time sparkprop, the engine alone, MLlib and the GEMM peak",
        description = "Time full-batch epochs of sparkprop, the engine alone, Spark MLlib's MLP and the BLAS GEMM "
                + "peak, on the same data and partitioning, in one run.")
final class BenchCommand implements Callable<Integer> {
    static final String FASHION_MNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "PATH", defaultValue = FASHION_MNIST,
            description = "Data (" + InputOptions.FORMATS + "; default: Fashion-MNIST's training set from the "
                    + "Debian package, ${DEFAULT-VALUE})")
    String input;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--layers", paramLabel = "WIDTHS", defaultValue = "784,256,128,10",
            description = "Layer widths, sigmoid hidden and softmax output (default: ${DEFAULT-VALUE})")
    String layers;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2", description = "Partitions (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--block-size", paramLabel = "ROWS", defaultValue = "1024",
            description = "Rows per block, for sparkprop and MLlib alike (default: ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "float64",
            description = "float64 or float32 blocks and passes for sparkprop and the engine alone (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Untimed epochs first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Timed epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--mllib-iterations", paramLabel = "K", defaultValue = "3",
            description = "MLlib iterations timed beyond the first; 0 skips MLlib (default: ${DEFAULT-VALUE})")
    int mllibIterations;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() throws Exception {
        int[] sizes = Arrays.stream(layers.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        Network network = Network.of(sizes, Activation.SIGMOID, Activation.SOFTMAX, Loss.CATEGORICAL_CROSS_ENTROPY);
        if (partitions < 1 || blockSize < 1 || epochs < 1 || warmup < 0 || mllibIterations < 0) {
            throw new IllegalArgumentException("--partitions, --block-size and --epochs must be positive, "
                    + "--warmup and --mllib-iterations not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SparkOptions.Session session = sparkOptions.open("sparkprop bench")) {
            SparkSession spark = session.spark();
            LabeledData data = inputOptions.load(spark, input);
            if (data.featureCount() != network.inputSize()) {
                throw new IllegalArgumentException("--layers starts with " + network.inputSize() + " inputs but "
                        + data.source() + " has " + data.featureCount() + " features");
            }
            // Not cached: the trainer caches its own blocks, and a second copy of the data on the heap
            // would make the garbage collector compete with the timed epochs. MLlib caches it below.
            Dataset<Row> frame = data.frame().repartition(partitions);
            long rows = frame.count();
            double flops = EpochFlops.of(network, rows);
            out.printf("data:      %s, %,d rows, %d partitions, block size %d%n", data.source(), rows, partitions, blockSize);
            out.printf("network:   %s, %,d parameters, %.1f GFLOP per epoch%n", network, network.parameterCount(),
                    flops / 1e9);
            out.printf("spark:     %s, BLAS %s, sparkprop in %s%n", spark.sparkContext().master(),
                    Backprop.blasName(), Precision.parse(precision).id());
            out.flush();

            // One round = one sparkprop step (the trainer's epoch: distributed gradient + update), one
            // engine-alone pass, one empty step and one GEMM-peak pass, so that the machine's drifts
            // (other tenants, clocks) fall on every measure alike; medians over the timed rounds.
            JavaRDD<Block> blocks = Blocks.cached(frame, "features", "label", null, network, blockSize,
                    Precision.parse(precision), null);
            List<List<Block>> split = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                split.add(blocks.collectPartitions(new int[] {p})[0]);
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            DistributedGradient gradient = new DistributedGradient(blocks, network, 2);
            DistributedGradient empty = new DistributedGradient(
                    sc.parallelize(Collections.<Block>emptyList(), partitions), network, 2);
            UpdateState update = UpdateState.create(UpdateRule.defaults(), network, 0.5, 0);
            double[] params = Initializer.initialize(network, 42);
            int blocksPerThread = (int) Math.max(1, rows / partitions / blockSize);
            TaskTimes tasks = new TaskTimes();
            List<Double> steps = new ArrayList<>();
            List<Double> slowestTasks = new ArrayList<>();
            List<Double> engineAlone = new ArrayList<>();
            List<Double> emptySteps = new ArrayList<>();
            List<Double> broadcasts = new ArrayList<>();
            List<Double> dgemm = new ArrayList<>();
            List<Double> sgemm = new ArrayList<>();
            try (EngineOnly engine = new EngineOnly(network, split);
                 GemmPeak peak = new GemmPeak(network, blockSize, partitions)) {
                for (int round = 0; round < warmup + epochs; round++) {
                    boolean timed = round >= warmup;
                    spark.sparkContext().addSparkListener(tasks);
                    long t0 = System.nanoTime();
                    update.step(params, gradient.compute(params).meanGradient(), 0);
                    long t1 = System.nanoTime();
                    spark.sparkContext().removeSparkListener(tasks);
                    double alone = engine.epochSeconds(params);
                    long t2 = System.nanoTime();
                    sc.broadcast(params).destroy();
                    long t3 = System.nanoTime();
                    empty.compute(params);
                    long t4 = System.nanoTime();
                    double d = peak.round(blocksPerThread, false);
                    double f = peak.round(blocksPerThread, true);
                    if (timed) {
                        steps.add((t1 - t0) / 1e9);
                        slowestTasks.add(tasks.lastSlowestTask() / 1e3);
                        engineAlone.add(alone);
                        broadcasts.add((t3 - t2) / 1e9);
                        emptySteps.add((t4 - t3) / 1e9);
                        dgemm.add(d);
                        sgemm.add(f);
                    }
                }
            } finally {
                blocks.unpersist(false);
            }
            double epoch = median(steps);
            double peakRate = median(dgemm);
            row(out, "sparkprop epoch (median of " + epochs + ")", "%.3f s", epoch);
            row(out, "sparkprop rows/s", "%,.0f", rows / epoch);
            row(out, "sparkprop GFLOP/s", "%.1f", flops / epoch / 1e9);
            row(out, "sparkprop slowest task per step", "%.3f s", median(slowestTasks));
            row(out, "engine alone, " + partitions + " threads, no Spark", "%.3f s", median(engineAlone));
            row(out, "Spark overhead: sparkprop / engine alone", "%.3f", epoch / median(engineAlone));
            row(out, "broadcast of the weights", "%.4f s", median(broadcasts));
            row(out, "empty step: broadcast + tasks + tree aggregate", "%.4f s", median(emptySteps));
            row(out, "dgemm peak, epoch's GEMMs on " + partitions + " threads", "%.1f GFLOP/s", peakRate);
            row(out, "sgemm peak, epoch's GEMMs on " + partitions + " threads", "%.1f GFLOP/s", median(sgemm));
            row(out, "sparkprop / dgemm peak", "%.0f %%", 100 * flops / epoch / 1e9 / peakRate);
            row(out, "sparkprop / sgemm peak", "%.0f %%", 100 * flops / epoch / 1e9 / median(sgemm));

            if (mllibIterations > 0) {
                frame = frame.cache();
                double mllib = new MllibMlp(sizes, blockSize, 42).secondsPerIteration(frame, mllibIterations);
                row(out, "MLlib MLP gd iteration (" + mllibIterations + " timed)", "%.3f s", mllib);
                row(out, "MLlib / sparkprop", "%.2fx", mllib / epoch);
            }
            frame.unpersist();
        }
        return ExitCodes.OK;
    }

    /** The longest task run time (ms) of the last stage that ran while registered. */
    private static final class TaskTimes extends org.apache.spark.scheduler.SparkListener {
        private final java.util.Map<Integer, Long> slowest = new java.util.concurrent.ConcurrentSkipListMap<>();

        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
                slowest.merge(end.stageId(), end.taskMetrics().executorRunTime(), Math::max);
            }
        }

        long lastSlowestTask() {
            return slowest.isEmpty() ? 0 : ((java.util.NavigableMap<Integer, Long>) slowest).lastEntry().getValue();
        }
    }

    private static void row(PrintWriter out, String what, String format, double value) {
        out.printf(Locale.ROOT, "| %-50s | %16s |%n", what, String.format(Locale.ROOT, format, value));
        out.flush();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
