package io.sparkprop.cli;

import java.util.Locale;

/** The synthetic tasks that {@code train} and {@code generate} offer without input data. */
enum BuiltInTask {
    /** Gaussian blobs, several per class ({@link io.sparkprop.io.SyntheticClusters}). */
    CLASSIFICATION,
    /** Friedman's function #1 ({@link io.sparkprop.io.SyntheticRegression}). */
    REGRESSION;

    static BuiltInTask parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "classification" -> CLASSIFICATION;
            case "regression" -> REGRESSION;
            default -> throw new IllegalArgumentException("--task " + name + ": expected classification or regression");
        };
    }
}
