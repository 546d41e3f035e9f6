package io.sparkprop.report;

import io.sparkprop.io.ReportFile;
import io.sparkprop.io.RunFiles;
import io.sparkprop.io.SavedRun;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The report of a training run: the plots as PNG files and {@code report.html} with the same
 * plots embedded. Given to {@link io.sparkprop.io.ModelStore#save} it is written into the model
 * directory with the model; {@link ReportDirectory} writes it from a saved model.
 */
public final class TrainingReport implements RunFiles {
    /** The report; stateless. */
    public static final TrainingReport INSTANCE = new TrainingReport();

    private TrainingReport() {
    }

    @Override
    public void write(SavedRun run, Sink files) throws IOException {
        Plots plots = Plots.of(run);
        for (Map.Entry<ReportFile, byte[]> image : plots.images().entrySet()) {
            try (OutputStream out = files.create(image.getKey())) {
                out.write(image.getValue());
            }
        }
        try (OutputStream out = files.create(ReportFile.HTML)) {
            out.write(ReportPage.html(run, plots).getBytes(StandardCharsets.UTF_8));
        }
    }
}
