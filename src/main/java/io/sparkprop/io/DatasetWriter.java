package io.sparkprop.io;

import java.util.Map;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes a DataFrame as a directory of part files (CSV with a header, Parquet, or text lines) through a
 * reserved {@link PendingOutput}: Spark writes them aside, the marker {@value OutputKind#MARKER}
 * (the output's format and where it came from) is added, and the directory is moved into place
 * whole. Spark and Hadoop skip files whose names start with {@code _} or {@code .}, so the
 * directory reads back as plain CSV, Parquet or text. If Spark fails, {@link PendingOutput#close()}
 * removes what it wrote.
 */
public final class DatasetWriter {

    private DatasetWriter() {
    }

    /**
     * Writes {@code rows} to {@code output}, reserved for a directory of part files.
     *
     * @param parquet Parquet; else CSV with a header line
     * @param provenance recorded in the marker, e.g. the model and input of predictions
     */
    public static void write(Dataset<Row> rows, PendingOutput output, boolean parquet, Map<String, String> provenance) {
        if (!output.kind().sparkParts()) {
            throw new IllegalArgumentException(output.path() + " is reserved for " + output.kind().description());
        }
        DataFrameWriter<Row> writer = rows.write().mode(SaveMode.ErrorIfExists);
        if (parquet) {
            writer.parquet(output.aside().toString());
        } else {
            writer.option("header", "true").csv(output.aside().toString());
        }
        output.commitWithMarker(provenance);
    }

    /**
     * Writes {@code lines} to {@code output}, reserved for a directory of part files, as text:
     * one line each (LIBSVM, for one).
     */
    public static void writeLines(Dataset<String> lines, PendingOutput output, Map<String, String> provenance) {
        if (!output.kind().sparkParts()) {
            throw new IllegalArgumentException(output.path() + " is reserved for " + output.kind().description());
        }
        lines.write().mode(SaveMode.ErrorIfExists).text(output.aside().toString());
        output.commitWithMarker(provenance);
    }
}
