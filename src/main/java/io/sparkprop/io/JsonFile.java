package io.sparkprop.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a JSON report to a reserved {@link PendingOutput} on any file system Hadoop reaches,
 * through a temporary sibling renamed into place over the old file in one atomic step: a reader
 * (or a scheduler polling for the file) never sees half of it. The report starts with the
 * output's {@code format} and {@code formatVersion}, by which {@code --overwrite} recognises a
 * file it may replace.
 */
public final class JsonFile {
    /** The version of the reports' layout. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFile() {
    }

    /** Writes {@code {"format": ..., "formatVersion": 1, fields...}} and moves it into place. */
    public static void write(PendingOutput output, Map<String, ?> fields) {
        if (output.kind().directory()) {
            throw new IllegalArgumentException(output.path() + " is reserved for " + output.kind().description());
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("format", output.kind().format());
        report.put("formatVersion", FORMAT_VERSION);
        report.putAll(fields);
        try (OutputStream out = output.create()) {
            JSON.writeValue(out, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output.path() + ": " + e.getMessage(), e);
        }
        output.commit();
    }
}
