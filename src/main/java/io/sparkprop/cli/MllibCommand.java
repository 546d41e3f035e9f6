package io.sparkprop.cli;

import io.sparkprop.bench.MllibMlp;
import io.sparkprop.io.LabeledData;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "mllib", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        sortOptions = false,
        header = "Train Spark MLlib's MLP on the same data, for comparison",
        description = "Train Spark MLlib's MultilayerPerceptronClassifier (sigmoid hidden layers, softmax output) on "
                + "the same data, for comparison: fit time and test accuracy per iteration budget.")
final class MllibCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "PATH", defaultValue = BenchCommand.FASHION_MNIST,
            description = "Training data (" + InputOptions.FORMATS + "; default: Fashion-MNIST's training set, "
                    + "${DEFAULT-VALUE})")
    String input;

    @Option(names = "--test", paramLabel = "PATH",
            defaultValue = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
            description = "Test data, same format as --input (default: Fashion-MNIST's test set, ${DEFAULT-VALUE})")
    String test;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--layers", paramLabel = "WIDTHS", defaultValue = "784,256,128,10",
            description = "Layer widths (default: ${DEFAULT-VALUE})")
    String layers;

    @Option(names = "--solver", paramLabel = "NAME", defaultValue = "l-bfgs",
            description = "l-bfgs (MLlib's default) or gd (default: ${DEFAULT-VALUE})")
    String solver;

    @Option(names = "--max-iter", paramLabel = "N[,N...]", defaultValue = "100", split = ",",
            description = "Iteration budgets, one fresh fit each (default: ${DEFAULT-VALUE})")
    int[] maxIterations;

    @Option(names = "--step-size", paramLabel = "ETA", defaultValue = "0.03",
            description = "Learning rate of the gd solver (default: ${DEFAULT-VALUE}, MLlib's)")
    double stepSize;

    @Option(names = "--block-size", paramLabel = "ROWS", defaultValue = "128",
            description = "Rows MLlib stacks per matrix (default: ${DEFAULT-VALUE}, MLlib's)")
    int blockSize;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2", description = "Partitions (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        int[] sizes = Arrays.stream(layers.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        if (partitions < 1 || blockSize < 1 || Arrays.stream(maxIterations).anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--partitions, --block-size and --max-iter must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SparkOptions.Session session = sparkOptions.open("sparkprop mllib")) {
            SparkSession spark = session.spark();
            LabeledData train = inputOptions.load(spark, input);
            LabeledData testData = inputOptions.load(spark, test);
            Dataset<Row> trainFrame = train.frame().repartition(partitions);
            out.printf("data:    %s, test %s%n", train.source(), testData.source());
            out.printf("mllib:   MultilayerPerceptronClassifier layers %s, solver %s, block size %d, %s%n", layers,
                    solver, blockSize, spark.sparkContext().master());
            out.flush();
            MllibMlp mllib = new MllibMlp(sizes, blockSize, seed);
            for (int budget : maxIterations) {
                MllibMlp.Result r = mllib.timeToAccuracy(trainFrame, testData.frame(), solver, budget, stepSize);
                out.printf("maxIter %4d  fit %7.1f s  test accuracy %.4f%n", r.maxIterations(), r.seconds(),
                        r.testAccuracy());
                out.flush();
            }
        }
        return ExitCodes.OK;
    }
}
