package io.sparkprop.io;

import java.util.Arrays;

/**
 * The files of a training report, written with the model into its directory and by
 * {@code sparkprop report} into a directory of their own. Their names are part of the model
 * directory's layout, so that {@link OutputKind} knows them as a model's own.
 */
public enum ReportFile {
    /** The self-contained page: settings, data, plots, metrics, timings, environment. */
    HTML("report.html"),
    /** Training and validation loss per epoch. */
    LOSS("loss.png"),
    /** Training and validation accuracy per epoch (classifiers). */
    ACCURACY("accuracy.png"),
    /** The validation (or training) confusion matrix as a heat map (multiclass and binary classifiers). */
    CONFUSION("confusion.png"),
    /** Predicted against true values of a sample of rows (regression). */
    PREDICTIONS("predictions.png");

    private final String fileName;

    ReportFile(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /** Whether {@code name} is one of these files' names. */
    static boolean named(String name) {
        return Arrays.stream(values()).anyMatch(f -> f.fileName.equals(name));
    }
}
