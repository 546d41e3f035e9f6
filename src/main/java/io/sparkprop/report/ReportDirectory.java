package io.sparkprop.report;

import io.sparkprop.io.InputPath;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.OutputKind;
import io.sparkprop.io.PendingOutput;
import io.sparkprop.io.SavedRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes the {@link TrainingReport} of a saved model (either layout, any history, also one saved
 * before models carried reports) into a directory of its own, atomically: the directory holds the
 * complete old report or the complete new one at every instant. It replaces only an earlier
 * report (recognised by its marker {@value OutputKind#MARKER}) or an empty directory, so running it
 * again refreshes the report and never touches anything else; it may not be, contain or lie
 * inside the model.
 */
public final class ReportDirectory {
    private final Configuration hadoop;

    public ReportDirectory(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /** The default place of the report of {@code modelDir}: beside it, named after it. */
    public static String besideModel(String modelDir) {
        String trimmed = modelDir.replaceAll("/+$", "");
        return (trimmed.isEmpty() ? modelDir : trimmed) + "-report";
    }

    /**
     * Verifies the model at {@code modelDir} and writes its report to {@code output}.
     *
     * @return the run the report shows
     * @throws io.sparkprop.io.ModelStoreException when the model is missing or does not verify,
     *         or {@code output} holds something other than a report
     */
    public SavedRun write(String modelDir, String output) {
        SavedRun run = new ModelStore(hadoop).loadRun(modelDir);
        try (PendingOutput reserved = PendingOutput.reserve(hadoop, OutputKind.REPORT, output, true,
                List.of(new InputPath("MODEL_DIR", modelDir)))) {
            try {
                TrainingReport.INSTANCE.write(run, file -> reserved.create(file.fileName()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the report to " + output + ": " + e.getMessage(), e);
            }
            reserved.commitWithMarker(Map.of("model", modelDir));
            return run;
        }
    }
}
