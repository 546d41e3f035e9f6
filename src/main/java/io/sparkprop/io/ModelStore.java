package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model directories: {@code metadata.json} (architecture, weight layout and checksum, how the
 * model was trained, final metrics), {@code weights.bin} (the flat parameter vector as
 * little-endian IEEE-754 float64, nothing else) and {@code metrics.json} (the run's outcome for
 * schedulers: rows, epochs run, kept epoch, seconds, training and validation metrics). A trained
 * model also has {@code metrics.jsonl} (one JSON object per epoch, {@link EpochRecord}), a
 * regression model {@value #PREDICTIONS} ({@link SampledPredictions}), and, when saved with
 * {@link RunFiles}, the report's files ({@link ReportFile}). Any path Hadoop can write (local, HDFS, S3).
 *
 * <p>A model directory may also sit inside Spark ML's save layout
 * ({@link OutputKind#SPARK_ML_MODEL}): {@code PATH/metadata/} holds Spark's params metadata and
 * {@code PATH/data/} the model directory. {@link #load} reads either layout, so a model saved
 * through Spark ML is read by {@code predict --model PATH} too.
 *
 * <p>Saving goes through a {@link PendingOutput}: the model is written aside and moved into place
 * whole, a second job writing the same directory fails at its start, and {@code overwrite}
 * replaces only a model or an empty directory. Loading verifies the model: every field the format
 * declares against the file ({@link ModelMetadata}), the SHA-256 of {@code weights.bin}, and that
 * every weight is finite; anything else is a {@link ModelStoreException} naming the file and field.
 */
public final class ModelStore {
    public static final String FORMAT = "sparkprop-mlp";
    /** Version 2 records the weights' SHA-256; version 1 models (without it) are read with a warning. */
    public static final int FORMAT_VERSION = 2;
    public static final String METADATA = "metadata.json";
    public static final String WEIGHTS = "weights.bin";
    public static final String METRICS = "metrics.json";
    /** One JSON object per epoch run, one per line. */
    public static final String METRICS_LINES = "metrics.jsonl";
    /** A regression model's predictions for a sample of rows, beside the true values. */
    public static final String PREDICTIONS = "predictions-sample.csv";
    /** Spark ML's layout: the directory of Spark's params metadata, beside {@link #SPARK_ML_DATA}. */
    public static final String SPARK_ML_METADATA = "metadata";
    /** Spark ML's layout: the directory that holds the model directory's files. */
    public static final String SPARK_ML_DATA = "data";

    private static final int READ_ATTEMPTS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** One object per line, for {@value #METRICS_LINES}. */
    private static final ObjectMapper JSON_LINE = new ObjectMapper();

    private final Configuration hadoop;

    public ModelStore(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /**
     * The SHA-256 of {@code model}'s {@value #WEIGHTS} as {@link #save} writes it and
     * {@value #METADATA} records it (lower-case hex): what ties a copy of the model, such as an
     * ONNX export, to its directory.
     */
    public static String checksum(Model model) {
        try {
            return WeightsFile.write(model.parameters(), OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a null stream does not fail
        }
    }

    /**
     * Reserves {@code dir} for a model, before the work that makes it (see {@link PendingOutput}).
     *
     * @param overwrite an existing model (or empty directory) there may be replaced
     * @param inputs what the job reads: {@code dir} may not be, contain or lie inside any of them
     */
    public PendingOutput reserve(String dir, boolean overwrite, List<InputPath> inputs) {
        return reserve(dir, OutputKind.MODEL, overwrite, inputs);
    }

    /**
     * Like {@link #reserve(String, boolean, List)} in either layout.
     *
     * @param layout {@link OutputKind#MODEL} or {@link OutputKind#SPARK_ML_MODEL}
     */
    public PendingOutput reserve(String dir, OutputKind layout, boolean overwrite, List<InputPath> inputs) {
        requireModelLayout(layout, dir);
        return PendingOutput.reserve(hadoop, layout, dir, overwrite, inputs);
    }

    private static void requireModelLayout(OutputKind kind, String path) {
        if (kind != OutputKind.MODEL && kind != OutputKind.SPARK_ML_MODEL) {
            throw new IllegalArgumentException(path + " is reserved for " + kind.description());
        }
    }

    /** Writes {@code model} to {@code dir}: {@link #reserve} and {@link #save(Model, TrainingRecord, PendingOutput)}. */
    public void save(Model model, TrainingRecord record, String dir, boolean overwrite) {
        try (PendingOutput output = reserve(dir, overwrite, List.of())) {
            save(model, record, output);
        }
    }

    /**
     * Writes {@code model} to the reserved {@code output} and moves it into place. For a
     * {@link OutputKind#SPARK_ML_MODEL} the model directory is written to {@code data/}, and
     * Spark's params metadata must have been written first, to {@code output.aside()}'s
     * {@code metadata/} ({@code DefaultParamsWriter.saveMetadata(instance,
     * output.aside().toString(), spark)} writes it there): the whole layout then appears at once.
     *
     * @throws ModelStoreException when a weight is not finite: such a model is never written
     * @throws IllegalStateException when Spark's metadata of a Spark ML layout is not written yet
     */
    public void save(Model model, TrainingRecord record, PendingOutput output) {
        save(model, record, output, RunFiles.NONE);
    }

    /**
     * {@link #save(Model, TrainingRecord, PendingOutput)} with the files {@code derived} draws from
     * the run as saved (the report), in the same atomic output.
     */
    public void save(Model model, TrainingRecord record, PendingOutput output, RunFiles derived) {
        requireModelLayout(output.kind(), output.path());
        String prefix = "";
        if (output.kind() == OutputKind.SPARK_ML_MODEL) {
            prefix = SPARK_ML_DATA + "/";
            Path sparkMetadata = new Path(output.aside(), SPARK_ML_METADATA);
            try {
                if (!output.fileSystem().exists(sparkMetadata)) {
                    throw new IllegalStateException("write Spark's params metadata to " + sparkMetadata
                            + " before the model");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write model to " + output.path() + ": " + e.getMessage(), e);
            }
        }
        double[] params = model.parameters();
        int bad = WeightsFile.firstNonFinite(params);
        if (bad >= 0) {
            throw new ModelStoreException("refusing to save " + output.path() + ": its "
                    + WeightsFile.position(model.network(), bad) + " is " + params[bad]);
        }
        try {
            String sha256;
            try (OutputStream out = output.create(prefix + WEIGHTS)) {
                sha256 = WeightsFile.write(params, out);
            }
            ObjectNode metadata = ModelMetadata.write(JSON, model, sha256, record);
            try (OutputStream out = output.create(prefix + METADATA)) {
                JSON.writeValue(out, metadata);
            }
            try (OutputStream out = output.create(prefix + METRICS)) {
                JSON.writeValue(out, metrics(record));
            }
            if (!record.history().isEmpty()) {
                try (OutputStream out = output.create(prefix + METRICS_LINES)) {
                    writeLines(metadata.withArray("history"), out); // the epochs as metadata.json has them
                }
            }
            if (record.predictions().isPresent()) {
                try (OutputStream out = output.create(prefix + PREDICTIONS)) {
                    PredictionSampleCsv.write(record.predictions().get().sample(), out);
                }
            }
            if (derived != RunFiles.NONE) {
                // Drawn from the metadata as written, exactly as `sparkprop report` reads it back.
                writeDerived(derived, () -> SavedRun.fromJson(output.path(), metadata, model.network(), METADATA,
                        record.predictions()), output, prefix);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + output.path() + ": " + e.getMessage(), e);
        }
        output.commit();
    }

    /**
     * Reads and verifies a model directory, or the model directory {@code data/} of a Spark ML
     * layout (a directory without {@code metadata.json} but with {@code data/} or {@code metadata/}).
     * A directory missing because a job was killed while replacing it is first put back
     * ({@link PendingOutput#restore}): {@code dir}, then {@code data/}. A model that fails
     * verification is read again when its {@code metadata.json} changed during the read — a job
     * replaced the model between the reads of its two files, so the files came from two models —
     * up to {@value #READ_ATTEMPTS} times (also while metadata.json is missing, which it is for an
     * instant during a replacement); a model that fails without changing is refused at once.
     *
     * @throws ModelStoreException naming the file and field that do not verify
     */
    public Model load(String dir) {
        return open(dir).model();
    }

    /**
     * {@link #load} with what the model's {@code metadata.json} records beside it, from the same
     * read (the checksum of its weights, how it was trained).
     *
     * @throws ModelStoreException naming the file and field that do not verify
     */
    public StoredModel open(String dir) {
        for (int attempt = 1; ; attempt++) {
            Located located = locate(dir); // again on every attempt: a replacement may change the layout
            byte[] before = metadataBytes(located.dir());
            try {
                return read(located.dir(), located.notAModel());
            } catch (ModelStoreException e) {
                byte[] after = metadataBytes(located.dir());
                if (attempt == READ_ATTEMPTS || before != null && Arrays.equals(before, after)) {
                    throw e;
                }
                if (before == null) {
                    OutputLock.pause(); // perhaps the instant between a replacement's two renames
                }
            }
        }
    }

    /**
     * Where a model's files are.
     *
     * @param notAModel what it means when metadata.json is missing there, for the message
     */
    private record Located(String dir, String notAModel) {
    }

    /**
     * The directory that holds {@code dir}'s model files, {@code dir} itself or its {@code data/},
     * each put back first if a killed replacement left it missing.
     */
    private Located locate(String dir) {
        PendingOutput.restore(hadoop, dir);
        Path root = new Path(dir);
        Path data = new Path(root, SPARK_ML_DATA);
        try {
            FileSystem fs = PendingOutput.raw(root.getFileSystem(hadoop));
            if (fs.exists(new Path(root, METADATA))
                    || !(directory(fs, data) || directory(fs, new Path(root, SPARK_ML_METADATA)))) {
                return new Located(dir, dir + " is not a sparkprop model directory (nor a Spark ML model with one in "
                        + SPARK_ML_DATA + "/)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + dir + ": " + e.getMessage(), e);
        }
        String modelDir = data.toString();
        PendingOutput.restore(hadoop, modelDir);
        return new Located(modelDir, dir + " has Spark ML's layout but its " + SPARK_ML_DATA
                + "/ is not a sparkprop model");
    }

    private static boolean directory(FileSystem fs, Path path) throws IOException {
        try {
            return fs.getFileStatus(path).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    /** The bytes of {@code dir}'s metadata.json, or null when it cannot be read. */
    private byte[] metadataBytes(String dir) {
        Path metadata = new Path(new Path(dir), METADATA);
        try (InputStream in = PendingOutput.raw(metadata.getFileSystem(hadoop)).open(metadata)) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** @param notAModel what a missing metadata.json means, for its message */
    private StoredModel read(String dir, String notAModel) {
        Path root = new Path(dir);
        try {
            FileSystem fs = PendingOutput.raw(root.getFileSystem(hadoop));
            Path metadataPath = new Path(root, METADATA);
            String where = dir + "/" + METADATA;
            JsonNode json;
            try (InputStream in = fs.open(metadataPath)) {
                json = JSON.readTree(in);
            } catch (FileNotFoundException e) {
                throw new ModelStoreException(where + " is missing: " + notAModel);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ModelStoreException(where + " is not valid JSON: " + e.getOriginalMessage());
            }
            if (json == null || json.isMissingNode()) {
                throw new ModelStoreException(where + " is empty");
            }
            ModelMetadata meta = ModelMetadata.read(json, where);
            Network network = meta.network();
            Path weightsPath = new Path(root, WEIGHTS);
            String weightsWhere = dir + "/" + WEIGHTS;
            FileStatus status;
            try {
                status = fs.getFileStatus(weightsPath);
            } catch (FileNotFoundException e) {
                throw new ModelStoreException(weightsWhere + " is missing");
            }
            long expected = 8L * network.parameterCount();
            if (status.getLen() != expected) {
                throw new ModelStoreException(weightsWhere + " has " + status.getLen() + " bytes; the network "
                        + network + " needs " + expected + " (" + network.parameterCount() + " float64 values)");
            }
            WeightsFile.Read weights;
            try (InputStream in = fs.open(weightsPath)) {
                weights = WeightsFile.read(in, network.parameterCount(), weightsWhere);
            } catch (FileNotFoundException e) {
                throw new ModelStoreException(weightsWhere + " is missing");
            }
            if (meta.sha256().isEmpty()) {
                LOG.warn("{} is a format-version-1 model without a checksum: damage to its {} cannot be detected "
                        + "(the README's model format section says how to add one)", dir, WEIGHTS);
            } else if (!meta.sha256().get().equals(weights.sha256())) {
                throw new ModelStoreException(weightsWhere + " has SHA-256 " + weights.sha256() + " but " + METADATA
                        + " records " + meta.sha256().get() + ": the weights are damaged or not this model's");
            }
            int bad = WeightsFile.firstNonFinite(weights.params());
            if (bad >= 0) {
                throw new ModelStoreException(weightsWhere + ": the " + WeightsFile.position(network, bad) + " (value "
                        + bad + ") is " + weights.params()[bad] + "; a model's weights must be finite");
            }
            Model model = new Model(network, weights.params(), meta.standardization().orElse(null));
            return new StoredModel(meta.labels().map(model::withLabels).orElse(model), dir, json, weights.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The derived files (the report). They must not cost the model: when drawing fails, the model
     * is saved without them (and without any half of them), with a warning; {@code sparkprop
     * report} draws them again from the model.
     */
    private static void writeDerived(RunFiles derived, java.util.function.Supplier<SavedRun> run, PendingOutput output,
                                     String prefix) throws IOException {
        List<Path> written = new java.util.ArrayList<>();
        try {
            derived.write(run.get(), file -> {
                written.add(new Path(output.aside(), prefix + file.fileName()));
                return output.create(prefix + file.fileName());
            });
        } catch (IOException | RuntimeException | LinkageError e) { // LinkageError: a JRE without AWT's libraries
            for (Path file : written) {
                output.fileSystem().delete(file, false);
            }
            LOG.warn("the report of {} could not be written ({}); the model is saved without it, and "
                    + "`sparkprop report {}` draws it again", output.path(), e.toString(), output.path());
        }
    }

    /** {@value #METRICS_LINES}: one compact JSON object per epoch and line. */
    private static void writeLines(JsonNode history, OutputStream out) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (JsonNode epoch : history) {
            lines.append(JSON_LINE.writeValueAsString(epoch)).append('\n');
        }
        out.write(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Reads a model directory (either layout) for a report: verifies the model as {@link #load}
     * does, then reads how it was trained from its {@code metadata.json} and, for a regression,
     * its {@value #PREDICTIONS}.
     *
     * @throws ModelStoreException when the model is missing or does not verify, or a field of the
     *         run holds something unexpected
     */
    public SavedRun loadRun(String dir) {
        StoredModel stored = open(dir);
        String modelDir = stored.dir();
        JsonNode data = stored.metadata().path("predictions").get("data");
        Optional<SampledPredictions> predictions = Optional.empty();
        if (data != null) {
            String file = modelDir + "/" + PREDICTIONS;
            try (InputStream in = PendingOutput.raw(new Path(modelDir).getFileSystem(hadoop))
                    .open(new Path(modelDir, PREDICTIONS))) {
                predictions = Optional.of(new SampledPredictions(data.asText(), PredictionSampleCsv.read(in, file)));
            } catch (FileNotFoundException e) {
                throw new ModelStoreException(file + " is missing, though " + METADATA + " lists it");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read model " + dir + ": " + e.getMessage(), e);
            }
        }
        return SavedRun.fromJson(dir, stored.metadata(), stored.model().network(), modelDir + "/" + METADATA,
                predictions);
    }

    /** The outcome of the run for schedulers and dashboards: small, flat where it can be. */
    private static ObjectNode metrics(TrainingRecord record) {
        ObjectNode root = JSON.createObjectNode();
        root.put("createdAt", Instant.now().toString());
        for (String field : List.of("data", "rows", "epochs", "epochsRun", "keptEpoch", "seconds")) {
            root.set(field, JSON.valueToTree(record.training().get(field)));
        }
        record.metrics().forEach((name, value) -> root.set(name, JSON.valueToTree(value)));
        return root;
    }
}
