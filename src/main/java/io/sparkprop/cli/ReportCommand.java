package io.sparkprop.cli;

import io.sparkprop.io.ReportFile;
import io.sparkprop.report.ReportDirectory;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "Draw a saved model's plots and report.html again",
        description = {"Draw the plots (loss.png; accuracy.png and confusion.png for a classifier, predictions.png "
                + "for a regression) and the self-contained report.html of a saved model, from what its directory "
                + "records: also for a model saved through Spark ML, or before models carried reports.",
                "Reads no data and starts no Spark job; the model is verified first (checksum, shapes)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the report was written",
                "2:the command line is wrong",
                "4:the model is missing or fails verification, or the output cannot be written (it holds something "
                        + "other than an earlier report, or lies inside the model)"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL_DIR", description = "A model written by train, or one saved through Spark ML "
            + "(any path Hadoop reads)")
    String modelDir;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Where to write the report: a new or empty directory, or an earlier report, which is "
                    + "replaced whole (default: MODEL_DIR-report beside the model)")
    String output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String target = output != null ? output : ReportDirectory.besideModel(modelDir);
        new ReportDirectory(new Configuration()).write(modelDir, target);
        out.printf("report:  %s/%s%n", target.replaceAll("/+$", ""), ReportFile.HTML.fileName());
        out.flush();
        return ExitCodes.OK;
    }
}
