package io.sparkprop.report;

import io.sparkprop.io.ReportFile;
import io.sparkprop.io.SavedMetrics;
import io.sparkprop.io.SavedRun;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The report's images of one run, drawn once and then both written as files and embedded in the
 * page: loss per epoch; for a classifier accuracy per epoch and (multiclass, binary) the confusion
 * matrix of the validation data, or of the training data without validation data; for a
 * regression predicted against true values.
 */
record Plots(Map<ReportFile, byte[]> images) {

    static Plots of(SavedRun run) {
        Png.headless(); // before the first chart is built
        Map<ReportFile, byte[]> images = new EnumMap<>(ReportFile.class);
        EpochCharts.loss(run.history(), run.keptEpoch()).ifPresent(png -> images.put(ReportFile.LOSS, png));
        EpochCharts.accuracy(run.history(), run.keptEpoch()).ifPresent(png -> images.put(ReportFile.ACCURACY, png));
        confusionSource(run).flatMap(m -> ConfusionHeatMap.of(m.confusionMatrix(), run.reportedData()))
                .ifPresent(png -> images.put(ReportFile.CONFUSION, png));
        run.predictions().ifPresent(p -> images.put(ReportFile.PREDICTIONS, PredictionScatter.of(p)));
        return new Plots(images);
    }

    /** The metrics whose confusion matrix the report shows: validation if there was any, else training. */
    static Optional<SavedMetrics> confusionSource(SavedRun run) {
        return run.reported().filter(m -> m.confusionMatrix().length > 0);
    }
}
