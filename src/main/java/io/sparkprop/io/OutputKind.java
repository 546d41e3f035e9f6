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
    /**
     * A model in Spark ML's save layout: {@code metadata/} (Spark's params metadata, part files
     * written by {@code DefaultParamsWriter}) and {@code data/}, a sparkprop {@link #MODEL}
     * directory; nothing else.
     */
    SPARK_ML_MODEL(true, ModelStore.FORMAT, "a sparkprop Spark ML model") {
        @Override
        Optional<String> foreign(FileSystem fs, Path path) throws IOException {
            FileStatus status = fs.getFileStatus(path);
            if (!status.isDirectory()) {
                return Optional.of("it is a file");
            }
            FileStatus[] entries = fs.listStatus(path);
            if (entries.length == 0) {
                return Optional.empty();
            }
            Set<String> layout = Set.of(ModelStore.SPARK_ML_METADATA, ModelStore.SPARK_ML_DATA);
            Optional<String> others = others(entries, entry -> entry.isDirectory()
                    && layout.contains(entry.getPath().getName()));
            if (others.isPresent()) {
                return others.map(names -> "it holds " + names);
            }
            Path data = new Path(path, ModelStore.SPARK_ML_DATA);
            if (!fs.exists(data)) {
                return Optional.of("it has no " + ModelStore.SPARK_ML_DATA + "/");
            }
            Optional<String> notModel = fs.listStatus(data).length == 0 ? Optional.of("it is empty")
                    : MODEL.foreign(fs, data);
            if (notModel.isPresent()) {
                return notModel.map(why -> "its " + ModelStore.SPARK_ML_DATA + "/ is not a sparkprop model: " + why);
            }
            Path metadata = new Path(path, ModelStore.SPARK_ML_METADATA);
            if (!fs.exists(metadata)) {
                return Optional.empty();
            }
            return others(fs.listStatus(metadata), entry -> !entry.isDirectory() && sparkPart(fileName(entry)))
                    .map(names -> "its " + ModelStore.SPARK_ML_METADATA + "/ holds " + names);
        }
    },
    /**
     * A Spark ML estimator's saved Params: a directory with only {@code metadata/}, Spark's part
     * files whose JSON names a class of the package {@code io.sparkprop.ml}.
     */
    SPARK_ML_PARAMS(true, "io.sparkprop.ml", "sparkprop Spark ML Params") {
        @Override
        Optional<String> foreign(FileSystem fs, Path path) throws IOException {
            FileStatus status = fs.getFileStatus(path);
            if (!status.isDirectory()) {
                return Optional.of("it is a file");
            }
            FileStatus[] entries = fs.listStatus(path);
            if (entries.length == 0) {
                return Optional.empty();
            }
            Optional<String> others = others(entries, entry -> entry.isDirectory()
                    && entry.getPath().getName().equals(ModelStore.SPARK_ML_METADATA));
            if (others.isPresent()) {
                return others.map(names -> "it holds " + names);
            }
            Path metadata = new Path(path, ModelStore.SPARK_ML_METADATA);
            Optional<String> notParts = others(fs.listStatus(metadata),
                    entry -> !entry.isDirectory() && sparkPart(fileName(entry)));
            if (notParts.isPresent()) {
                return notParts.map(names -> "its " + ModelStore.SPARK_ML_METADATA + "/ holds " + names);
            }
            Optional<String> saved = stringField(fs, new Path(metadata, "part-00000"), "class");
            return saved.isPresent() && saved.get().startsWith(format() + ".") ? Optional.empty()
                    : Optional.of("its " + ModelStore.SPARK_ML_METADATA + "/ is not of a sparkprop estimator");
        }
    },
    /** {@code predict}'s directory of CSV part files written by Spark, with the marker {@value #MARKER}. */
    PREDICTIONS(true, "sparkprop-predictions", "predictions written by sparkprop") {
        @Override
        Optional<String> foreign(FileSystem fs, Path path) throws IOException {
            return sparkPartsForeign(fs, path);
        }
    },
    /** {@code generate}'s directory of CSV or Parquet part files written by Spark, with the marker {@value #MARKER}. */
    GENERATED_DATA(true, "sparkprop-generated-data", "data generated by sparkprop") {
        @Override
        Optional<String> foreign(FileSystem fs, Path path) throws IOException {
            return sparkPartsForeign(fs, path);
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

    /** The file that marks a directory of part files as sparkprop's own, and which command's. */
    public static final String MARKER = "_sparkprop.json";

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

    /** Whether the output is a directory of part files that Spark writes. */
    public boolean sparkParts() {
        return this == PREDICTIONS || this == GENERATED_DATA;
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

    /** Part files, Spark's {@code _SUCCESS} and our marker, with this output's format. */
    Optional<String> sparkPartsForeign(FileSystem fs, Path path) throws IOException {
        return foreignEntries(fs, path, MARKER, name -> sparkPart(name) || name.equals(MARKER));
    }

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
        Optional<String> others = others(entries, entry -> !entry.isDirectory() && ours.test(fileName(entry)));
        if (others.isPresent()) {
            return others.map(names -> "it holds " + names);
        }
        Optional<String> found = formatField(fs, new Path(path, identifying));
        if (!format.equals(found.orElse(null))) {
            return Optional.of(found.isEmpty() ? "it has no readable " + identifying
                    : "its " + identifying + " has format \"" + found.get() + "\"");
        }
        return Optional.empty();
    }

    /** Whether a file is one of Spark's part files or its {@code _SUCCESS} marker. */
    private static boolean sparkPart(String name) {
        return name.startsWith("part-") || name.equals("_SUCCESS");
    }

    /** An entry's name; for a Hadoop checksum {@code .NAME.crc}, the name of the file it belongs to. */
    private static String fileName(FileStatus entry) {
        String name = entry.getPath().getName();
        return name.startsWith(".") && name.endsWith(".crc") ? name.substring(1, name.length() - 4) : name;
    }

    /**
     * The entries that are not {@code ours}, sorted, the first {@value #NAMES_SHOWN} named
     * (directories with a trailing slash): "notes.txt, stages/ and 2 more"; empty when all are ours.
     */
    private static Optional<String> others(FileStatus[] entries, java.util.function.Predicate<FileStatus> ours) {
        List<String> others = new ArrayList<>();
        for (FileStatus entry : entries) {
            if (!ours.test(entry)) {
                others.add(entry.getPath().getName() + (entry.isDirectory() ? "/" : ""));
            }
        }
        if (others.isEmpty()) {
            return Optional.empty();
        }
        others.sort(null);
        String shown = String.join(", ", others.subList(0, Math.min(NAMES_SHOWN, others.size())));
        return Optional.of(shown + (others.size() > NAMES_SHOWN ? " and " + (others.size() - NAMES_SHOWN) + " more"
                : ""));
    }

    /**
     * The string value of the top-level field {@code format} of a JSON object file, read as a
     * stream (the file may be large and need not be ours); empty when there is none.
     */
    static Optional<String> formatField(FileSystem fs, Path file) throws IOException {
        return stringField(fs, file, "format");
    }

    /** The string value of the top-level field {@code field} of a JSON object file, read as a stream; empty when there is none. */
    static Optional<String> stringField(FileSystem fs, Path file, String field) throws IOException {
        try (InputStream in = fs.open(file); JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(field)) {
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
