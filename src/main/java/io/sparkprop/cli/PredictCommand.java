package io.sparkprop.cli;

import io.sparkprop.engine.Model;
import io.sparkprop.io.DatasetWriter;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.OutputKind;
import io.sparkprop.io.PendingOutput;
import io.sparkprop.spark.Scorer;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        sortOptions = false,
        header = "Write a saved model's predictions for a data file as CSV",
        description = "Apply a saved model to a data file and write the predictions as CSV. A CSV input may lack the "
                + "label column.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SavedModelOptions saved;

    @Option(names = "--output", paramLabel = "DIR", required = true,
            description = "Directory of CSV part files with a header: label (if the input has one), "
                    + "prediction, output_0 .. output_k-1; it appears complete or not at all")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output directory (only predictions written by "
            + "sparkprop or an empty directory is ever replaced)")
    boolean overwrite;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        int blockSize = saved.blockSize();
        PrintWriter out = spec.commandLine().getOut();
        try (SparkOptions.Session session = sparkOptions.open("sparkprop predict");
             PendingOutput reserved = PendingOutput.reserve(session.spark().sparkContext().hadoopConfiguration(),
                     OutputKind.PREDICTIONS, output, overwrite, saved.inputs())) {
            SparkSession spark = session.spark();
            Model model = saved.model(spark);
            LabeledData data = saved.data(spark, model, true);
            DatasetWriter.write(PredictionCsv.of(new Scorer(model, blockSize), data.frame()), reserved, false,
                    Map.of("model", saved.modelDir, "input", data.source()));
            out.printf("predictions: %s (model %s, data %s)%n", output, saved.modelDir, data.source());
            out.flush();
        }
        return ExitCodes.OK;
    }
}
