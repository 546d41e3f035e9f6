package io.sparkprop.io;

import java.util.Locale;

/** Input formats the trainer reads. */
public enum DataFormat {
    /** Comma-separated numbers, one example per line, the label in one column; optional header. */
    CSV,
    /** {@code label index:value ...} per line, 1-based, strictly increasing indices. */
    LIBSVM,
    /** Parquet with a vector column "features" and a "label" column (number or vector), or numeric columns only. */
    PARQUET,
    /** The MNIST family's images file (…-images-idx3-ubyte[.gz]) with its labels file beside it. */
    IDX;

    public static DataFormat parse(String name) {
        for (DataFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "' (expected csv, libsvm, parquet or idx)");
    }

    /** Guesses the format from the path's extension (ignoring .gz, .bz2 and a trailing slash). */
    public static DataFormat detect(String path) {
        String name = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "").replaceAll("\\.(gz|bz2|deflate)$", "");
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".libsvm") || name.endsWith(".svm")) {
            return LIBSVM;
        }
        if (name.endsWith(".parquet")) {
            return PARQUET;
        }
        if (name.endsWith("-idx3-ubyte")) {
            return IDX;
        }
        throw new IllegalArgumentException("cannot tell the format of '" + path
                + "' from its name (expected .csv, .libsvm, .svm, .parquet or -idx3-ubyte); pass --format");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
