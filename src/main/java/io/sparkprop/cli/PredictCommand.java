package io.sparkprop.cli;

import io.sparkprop.engine.Model;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.ModelStore;
import io.sparkprop.spark.Predictor;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Apply a saved model to a data file and write the predictions as CSV.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL_DIR", required = true, description = "A model written by train")
    String modelDir;

    @Option(names = "--input", paramLabel = "PATH", required = true,
            description = "Examples to predict (CSV, LIBSVM or Parquet); a CSV file may omit the label column")
    String input;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--output", paramLabel = "DIR", required = true,
            description = "Directory of CSV part files with a header: label (if the input has one), "
                    + "prediction, output_0 .. output_k-1")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output directory")
    boolean overwrite;

    @Option(names = "--block-size", paramLabel = "ROWS", defaultValue = "1024",
            description = "Rows per matrix for GEMM (default: ${DEFAULT-VALUE})")
    int blockSize;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        if (blockSize < 1) {
            throw new IllegalArgumentException("--block-size must be at least 1, got " + blockSize);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SparkOptions.Session session = sparkOptions.open("sparkprop predict")) {
            SparkSession spark = session.spark();
            Model model = new ModelStore(spark.sparkContext().hadoopConfiguration()).load(modelDir);
            LabeledData data = inputOptions.loadFor(spark, input, model, modelDir, true);
            new Predictor(model, blockSize).transform(data.frame())
                    .write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                    .option("header", "true").csv(output);
            out.printf("predictions: %s (model %s, data %s)%n", output, modelDir, data.source());
            out.flush();
        }
        return ExitCodes.OK;
    }
}
