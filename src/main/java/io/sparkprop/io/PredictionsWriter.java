package io.sparkprop.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes predictions as a directory of CSV part files with a header, through a reserved
 * {@link PendingOutput}: Spark writes them aside, the marker {@value OutputKind#PREDICTIONS_MARKER}
 * (which model, which input) is added, and the directory is moved into place whole. Spark and
 * Hadoop skip files whose names start with {@code _} or {@code .}, so the directory reads back as
 * plain CSV.
 */
public final class PredictionsWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PredictionsWriter() {
    }

    /**
     * Writes {@code predictions} to {@code output} (reserved for {@link OutputKind#PREDICTIONS}).
     *
     * @param model the model directory that made them, recorded in the marker
     * @param input the data they were made from, recorded in the marker
     */
    public static void write(Dataset<Row> predictions, PendingOutput output, String model, String input) {
        if (output.kind() != OutputKind.PREDICTIONS) {
            throw new IllegalArgumentException(output.path() + " is reserved for " + output.kind().description());
        }
        predictions.write().mode(SaveMode.ErrorIfExists).option("header", "true").csv(output.aside().toString());
        ObjectNode marker = JSON.createObjectNode();
        marker.put("format", OutputKind.PREDICTIONS.format());
        marker.put("formatVersion", JsonFile.FORMAT_VERSION);
        marker.put("createdAt", Instant.now().toString());
        marker.put("model", model);
        marker.put("input", input);
        try (OutputStream out = output.create(OutputKind.PREDICTIONS_MARKER)) {
            JSON.writeValue(out, marker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output.path() + ": " + e.getMessage(), e);
        }
        output.commit();
    }
}
