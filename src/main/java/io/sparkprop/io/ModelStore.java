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
 * schedulers: rows, epochs run, kept epoch, seconds, training and validation metrics). Any path
 * Hadoop can write (local, HDFS, S3).
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

    private static final int READ_ATTEMPTS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Configuration hadoop;

    public ModelStore(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /**
     * Reserves {@code dir} for a model, before the work that makes it (see {@link PendingOutput}).
     *
     * @param overwrite an existing model (or empty directory) there may be replaced
     * @param inputs what the job reads: {@code dir} may not be, contain or lie inside any of them
     */
    public PendingOutput reserve(String dir, boolean overwrite, List<InputPath> inputs) {
        return PendingOutput.reserve(hadoop, OutputKind.MODEL, dir, overwrite, inputs);
    }

    /** Writes {@code model} to {@code dir}: {@link #reserve} and {@link #save(Model, TrainingRecord, PendingOutput)}. */
    public void save(Model model, TrainingRecord record, String dir, boolean overwrite) {
        try (PendingOutput output = reserve(dir, overwrite, List.of())) {
            save(model, record, output);
        }
    }

    /**
     * Writes {@code model} to the reserved {@code output} and moves it into place.
     *
     * @throws ModelStoreException when a weight is not finite: such a model is never written
     */
    public void save(Model model, TrainingRecord record, PendingOutput output) {
        if (output.kind() != OutputKind.MODEL) {
            throw new IllegalArgumentException(output.path() + " is reserved for " + output.kind().description());
        }
        double[] params = model.parameters();
        int bad = WeightsFile.firstNonFinite(params);
        if (bad >= 0) {
            throw new ModelStoreException("refusing to save " + output.path() + ": its "
                    + WeightsFile.position(model.network(), bad) + " is " + params[bad]);
        }
        try {
            String sha256;
            try (OutputStream out = output.create(WEIGHTS)) {
                sha256 = WeightsFile.write(params, out);
            }
            try (OutputStream out = output.create(METADATA)) {
                JSON.writeValue(out, ModelMetadata.write(JSON, model, sha256, record));
            }
            try (OutputStream out = output.create(METRICS)) {
                JSON.writeValue(out, metrics(record));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + output.path() + ": " + e.getMessage(), e);
        }
        output.commit();
    }

    /**
     * Reads and verifies a model directory. A directory missing because a job was killed while
     * replacing it is first put back ({@link PendingOutput#restore}). A model that fails
     * verification is read again when its {@code metadata.json} changed during the read — a job
     * replaced the model between the reads of its two files, so the files came from two models —
     * up to {@value #READ_ATTEMPTS} times (also while metadata.json is missing, which it is for an
     * instant during a replacement); a model that fails without changing is refused at once.
     *
     * @throws ModelStoreException naming the file and field that do not verify
     */
    public Model load(String dir) {
        PendingOutput.restore(hadoop, dir);
        for (int attempt = 1; ; attempt++) {
            byte[] before = metadataBytes(dir);
            try {
                return read(dir);
            } catch (ModelStoreException e) {
                byte[] after = metadataBytes(dir);
                if (attempt == READ_ATTEMPTS || before != null && Arrays.equals(before, after)) {
                    throw e;
                }
                if (before == null) {
                    OutputLock.pause(); // perhaps the instant between a replacement's two renames
                }
                PendingOutput.restore(hadoop, dir);
            }
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

    private Model read(String dir) {
        Path root = new Path(dir);
        try {
            FileSystem fs = PendingOutput.raw(root.getFileSystem(hadoop));
            Path metadataPath = new Path(root, METADATA);
            String where = dir + "/" + METADATA;
            JsonNode json;
            try (InputStream in = fs.open(metadataPath)) {
                json = JSON.readTree(in);
            } catch (FileNotFoundException e) {
                throw new ModelStoreException(where + " is missing: " + dir + " is not a sparkprop model directory");
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
            return new Model(network, weights.params(), meta.standardization().orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + dir + ": " + e.getMessage(), e);
        }
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
