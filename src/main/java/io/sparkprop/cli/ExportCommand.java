package io.sparkprop.cli;

import io.sparkprop.engine.Model;
import io.sparkprop.engine.Precision;
import io.sparkprop.io.InputPath;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.StoredModel;
import io.sparkprop.onnx.OnnxExport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "Write a saved model as an ONNX file, to serve it anywhere",
        description = {"Write a saved model as one ONNX file (opset " + OnnxExport.OPSET + ") that ONNX Runtime serves "
                + "in Java, Python, C#, JavaScript or C++ without Spark: input 'features' [N, d] (the raw features; "
                + "the standardisation is in the graph); outputs 'probabilities' and 'label' (int64) for a "
                + "classifier, 'prediction' for a regression.",
                "Reads no data and starts no Spark job; the model is verified first (checksum, shapes). The file "
                        + "appears whole or not at all."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the ONNX file was written",
                "2:the command line is wrong",
                "4:the model is missing or fails verification, or the output cannot be written (it holds something "
                        + "other than an ONNX file sparkprop exported)",
                "6:the model cannot be written in this format (too large for one ONNX file)"})
final class ExportCommand implements Callable<Integer> {
    private static final int LABELS_SHOWN = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL_DIR", required = true,
            description = "A model written by train, or one saved through Spark ML (any path Hadoop reads)")
    String modelDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
            description = "The file format: onnx (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "The file to write, e.g. model.onnx (any path Hadoop writes)")
    String output;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float32",
            description = "float32 or float64: the weights, the input and the outputs (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--overwrite", description = "Replace an existing --output file (only an ONNX file sparkprop "
            + "exported, or an empty file, is ever replaced)")
    boolean overwrite;

    @Override
    public Integer call() {
        if (!format.trim().equalsIgnoreCase("onnx")) {
            throw new IllegalArgumentException("--format " + format + " is not supported (expected onnx)");
        }
        Precision precision = Precision.parse(dtype);
        Configuration hadoop = new Configuration();
        StoredModel stored = new ModelStore(hadoop).open(modelDir);
        OnnxExport.of(stored).withPrecision(precision)
                .save(hadoop, output, overwrite, List.of(new InputPath("--model", modelDir)));
        Model model = stored.model();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("model:   %s (%s)%n", modelDir, model.network());
        out.printf("onnx:    %s (opset %d, %s%s)%n", output, OnnxExport.OPSET, precision.id(),
                model.labels().map(ExportCommand::describe).orElse(""));
        out.flush();
        return ExitCodes.OK;
    }

    /** ", labels cat, dog, bird", the first {@value #LABELS_SHOWN} and how many more. */
    private static String describe(List<String> labels) {
        String shown = String.join(", ", labels.subList(0, Math.min(LABELS_SHOWN, labels.size())));
        return ", labels " + shown + (labels.size() > LABELS_SHOWN ? " and " + (labels.size() - LABELS_SHOWN)
                + " more" : "");
    }
}
