package io.sparkprop.cli;

import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.io.JsonFile;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.ModelStore;
import io.sparkprop.spark.ModelEvaluator;
import io.sparkprop.spark.TrainingConfig;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved model on labelled data: loss, accuracy, log loss, macro F1 and the confusion "
                + "matrix of a classifier; RMSE, MAE and R² of a regression.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL_DIR", required = true, description = "A model written by train")
    String modelDir;

    @Option(names = "--input", paramLabel = "PATH", required = true,
            description = "Labelled examples (CSV, LIBSVM, Parquet or IDX)")
    String input;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the metrics to this JSON file")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing --output file")
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
        try (SparkOptions.Session session = sparkOptions.open("sparkprop evaluate")) {
            SparkSession spark = session.spark();
            if (output != null) {
                JsonFile.requireWritable(spark.sparkContext().hadoopConfiguration(), output, overwrite);
            }
            Model model = new ModelStore(spark.sparkContext().hadoopConfiguration()).load(modelDir);
            LabeledData data = inputOptions.loadFor(spark, input, model, modelDir, false);
            Metrics metrics = new ModelEvaluator(model, blockSize, TrainingConfig.DEFAULT_AGGREGATION_DEPTH)
                    .evaluate(data.frame());
            out.printf("model:   %s (%s)%n", modelDir, model.network());
            out.printf("data:    %s%n", data.source());
            out.println(metrics.format());
            if (output != null) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("model", modelDir);
                report.put("data", data.source());
                report.put("metrics", metrics.toMap());
                JsonFile.write(spark.sparkContext().hadoopConfiguration(), output, report, overwrite);
                out.printf("metrics: %s%n", output);
            }
            out.flush();
        }
        return ExitCodes.OK;
    }
}
