package io.sparkprop.cli;

import io.sparkprop.io.DataFormat;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.SyntheticClusters;
import io.sparkprop.io.SyntheticRegression;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a built-in synthetic task as CSV or Parquet: classification (Gaussian blobs) or "
                + "regression (Friedman #1).")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--task", paramLabel = "NAME", defaultValue = "classification",
            description = "classification or regression (default: ${DEFAULT-VALUE})")
    String task;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "20000", description = "Rows (default: ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--features", paramLabel = "D", defaultValue = "10", description = "Features (default: ${DEFAULT-VALUE})")
    int features;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "10",
            description = "Classes of the classification task (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Output part files (default: Spark's default parallelism)")
    int partitions;

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv or parquet (default: from --output's name)")
    String format;

    @Option(names = "--output", paramLabel = "DIR", required = true,
            description = "Output directory, e.g. blobs.csv or blobs.parquet; CSV has a header: label,f0,f1,...")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output directory")
    boolean overwrite;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        boolean regression = BuiltInTask.parse(task) == BuiltInTask.REGRESSION;
        SyntheticClusters standard = SyntheticClusters.standard(seed);
        SyntheticClusters clusters = regression ? null : new SyntheticClusters(features, classes,
                standard.blobsPerClass(), standard.spread(), standard.noise(), seed);
        SyntheticRegression friedman = regression
                ? new SyntheticRegression(features, SyntheticRegression.standard(seed).noise(), seed) : null;
        if (rows < 1) {
            throw new IllegalArgumentException("--rows must be at least 1, got " + rows);
        }
        DataFormat outputFormat = format == null ? DataFormat.detect(output) : DataFormat.parse(format);
        if (outputFormat != DataFormat.CSV && outputFormat != DataFormat.PARQUET) {
            throw new IllegalArgumentException("generate writes csv or parquet, not " + outputFormat.id());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SparkOptions.Session session = sparkOptions.open("sparkprop generate")) {
            SparkSession spark = session.spark();
            int slices = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
            DataLoader loader = new DataLoader(spark);
            LabeledData data = regression ? loader.synthetic(friedman, rows, slices)
                    : loader.synthetic(clusters, rows, slices);
            SaveMode mode = overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
            if (outputFormat == DataFormat.CSV) {
                List<Column> columns = new ArrayList<>();
                columns.add(regression ? data.frame().col("label")
                        : data.frame().col("label").cast("int").as("label"));
                Column array = functions.vector_to_array(data.frame().col("features"), "float64");
                for (int j = 0; j < features; j++) {
                    columns.add(array.getItem(j).as("f" + j));
                }
                data.frame().select(columns.toArray(Column[]::new)).write().mode(mode).option("header", "true")
                        .csv(output);
            } else {
                data.frame().write().mode(mode).parquet(output);
            }
            out.printf("wrote %,d rows of the %s to %s%n", rows, data.source(), output);
            out.flush();
        }
        return ExitCodes.OK;
    }
}
