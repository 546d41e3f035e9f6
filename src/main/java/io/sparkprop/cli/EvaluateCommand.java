package io.sparkprop.cli;

import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.io.JsonFile;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.MetricsJson;
import io.sparkprop.io.OutputKind;
import io.sparkprop.io.PendingOutput;
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

@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        sortOptions = false,
        header = "Measure a saved model on labelled data",
        description = "Evaluate a saved model on labelled data: loss, accuracy, log loss, macro F1 and the confusion "
                + "matrix of a classifier; RMSE, MAE and R² of a regression.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SavedModelOptions saved;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the metrics to this JSON file")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing --output file (only a report written by "
            + "evaluate, or an empty file, is ever replaced)")
    boolean overwrite;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        int blockSize = saved.blockSize();
        PrintWriter out = spec.commandLine().getOut();
        try (SparkOptions.Session session = sparkOptions.open("sparkprop evaluate");
             PendingOutput reserved = output == null ? null
                     : PendingOutput.reserve(session.spark().sparkContext().hadoopConfiguration(),
                             OutputKind.EVALUATION, output, overwrite, saved.inputs())) {
            SparkSession spark = session.spark();
            Model model = saved.model(spark);
            LabeledData data = saved.data(spark, model, false);
            Metrics metrics = new ModelEvaluator(model, blockSize, TrainingConfig.DEFAULT_AGGREGATION_DEPTH)
                    .evaluate(data.frame());
            out.printf("model:   %s (%s)%n", saved.modelDir, model.network());
            out.printf("data:    %s%n", data.source());
            out.println(MetricsReport.format(metrics));
            if (output != null) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("model", saved.modelDir);
                report.put("data", data.source());
                report.put("metrics", MetricsJson.of(metrics));
                JsonFile.write(reserved, report);
                out.printf("metrics: %s%n", output);
            }
            out.flush();
        }
        return ExitCodes.OK;
    }
}
