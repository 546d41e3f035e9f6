package io.sparkprop.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a command writes, and how to recognise an existing one of its own: {@code --overwrite}
 * replaces only such an output or an empty directory, never anything else a user keeps there.
 */
public enum OutputKind {
    /** A model directory: {@code metadata.json} with {@code "format": "sparkprop-mlp"}, the weights, metrics. */
    MODEL(true, ModelStore.FORMAT, "a sparkprop model") {
        @Override
        Optional<String> foreign(FileSystem fs, Path path) throws IOException {
            return foreignEntries(fs, path, ModelStore.METADATA,
                    name -> Set.of(ModelStore.METADATA, ModelStore.WEIGHTS, ModelStore.METRICS).contains(name));
        }
    },
    /** A directory of CSV part files written by Spark and the marker {@value #PREDICTIONS_MARKER}. */
    PREDICTIONS(true, "sparkprop-predictions", "predictions written by sparkprop") {
        @Override
        Optional<String> foreign(FileSystem fs, Path path) throws IOException {
            return foreignEntries(fs, path, PREDICTIONS_MARKER,
                    name -> name.startsWith("part-") || name.equals("_SUCCESS") || name.equals(PREDICTIONS_MARKER));
        }
    },
    /** One JSON file whose first-level field {@code format} is {@code "sparkprop-evaluation"}. */
    EVALUATION(false, "sparkprop-evaluation", "a report written by sparkprop evaluate") {
        @Override
        Optional<String> foreign(FileSystem fs, Path path) throws IOException {
            FileStatus status = fs.getFileStatus(path);
            if (status.isDirectory()) {
                return Optional.of("it is a directory");
            }
            if (status.getLen() == 0 || format().equals(formatField(fs, path).orElse(null))) {
                return Optional.empty();
            }
            return Optional.of("it has no \"format\": \"" + format() + "\"");
        }
    };

    /** The file that marks a directory of predictions as sparkprop's own. */
    public static final String PREDICTIONS_MARKER = "_sparkprop-predictions.json";

    private static final JsonFactory JSON = new JsonFactory();
    private static final int NAMES_SHOWN = 3;

    private final boolean directory;
    private final String format;
    private final String description;

    OutputKind(boolean directory, String format, String description) {
        this.directory = directory;
        this.format = format;
        this.description = description;
    }

    /** Whether the output is a directory (else one file). */
    public boolean directory() {
        return directory;
    }

    /** The {@code format} field that identifies this output: in its JSON file or marker. */
    public String format() {
        return format;
    }

    /** What this output is, for messages: "a sparkprop model". */
    public String description() {
        return description;
    }

    /**
     * Why the existing {@code path} is not an output of this kind that may be replaced; empty
     * when it is one, or an empty directory.
     */
    abstract Optional<String> foreign(FileSystem fs, Path path) throws IOException;

    /**
     * Checks a directory: every entry must be one this output writes (or a Hadoop {@code .crc}
     * of one), and {@code identifying} must name this format; an empty directory passes.
     */
    Optional<String> foreignEntries(FileSystem fs, Path path, String identifying,
                                            java.util.function.Predicate<String> ours) throws IOException {
        FileStatus status = fs.getFileStatus(path);
        if (!status.isDirectory()) {
            return Optional.of("it is a file");
        }
        FileStatus[] entries = fs.listStatus(path);
        if (entries.length == 0) {
            return Optional.empty();
        }
        List<String> others = new ArrayList<>();
        for (FileStatus entry : entries) {
            String name = entry.getPath().getName();
            String checked = name.startsWith(".") && name.endsWith(".crc") ? name.substring(1, name.length() - 4) : name;
            if (entry.isDirectory() || !ours.test(checked)) {
                others.add(entry.isDirectory() ? name + "/" : name);
            }
        }
        if (!others.isEmpty()) {
            others.sort(null);
            String shown = String.join(", ", others.subList(0, Math.min(NAMES_SHOWN, others.size())));
            return Optional.of("it holds " + shown + (others.size() > NAMES_SHOWN
                    ? " and " + (others.size() - NAMES_SHOWN) + " more" : ""));
        }
        Optional<String> found = formatField(fs, new Path(path, identifying));
        if (!format.equals(found.orElse(null))) {
            return Optional.of(found.isEmpty() ? "it has no readable " + identifying
                    : "its " + identifying + " has format \"" + found.get() + "\"");
        }
        return Optional.empty();
    }

    /**
     * The string value of the top-level field {@code format} of a JSON object file, read as a
     * stream (the file may be large and need not be ours); empty when there is none.
     */
    static Optional<String> formatField(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file); JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("format")) {
                    return value == JsonToken.VALUE_STRING ? Optional.of(parser.getText()) : Optional.empty();
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (FileNotFoundException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
