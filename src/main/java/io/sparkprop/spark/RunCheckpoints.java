package io.sparkprop.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.io.CheckpointStore;
import io.sparkprop.io.InputPath;
import io.sparkprop.io.Sha256;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's checkpoints: finds the state to resume from, checks that it belongs to this run, and
 * writes the run's state when the interval says so. A checkpoint records the run's fingerprint:
 * its settings (the {@link TrainingConfig}, the network, the columns, where the weights started)
 * and its data (the input files, the training and validation rows, the rows of each partition,
 * on which the mini-batches depend). Resuming compares them and names every difference.
 */
final class RunCheckpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest value a message shows whole (a large cluster's rows per partition are long). */
    private static final int SHOWN = 120;

    private final Checkpointing checkpointing;
    private final CheckpointStore store;
    private final ObjectNode settings;
    private ObjectNode data;
    private JsonNode resumedData;

    private RunCheckpoints(Checkpointing checkpointing, CheckpointStore store, ObjectNode settings) {
        this.checkpointing = checkpointing;
        this.store = store;
        this.settings = settings;
    }

    /**
     * Opens the checkpoint directory.
     *
     * @param settings what the run is, by name (compared on resume)
     */
    static RunCheckpoints open(Checkpointing checkpointing, Configuration hadoop, Map<String, Object> settings,
                               List<InputPath> inputs) {
        ObjectNode parsed = parsed(settings);
        String dir = checkpointing.dir();
        if (checkpointing.bySettings()) {
            dir = new org.apache.hadoop.fs.Path(dir, "run-" + Sha256.hex(parsed.toString()).substring(0, 16)).toString();
        }
        return new RunCheckpoints(checkpointing, CheckpointStore.open(hadoop, dir, inputs), parsed);
    }

    /**
     * The state to continue from: the newest checkpoint that verifies, when resuming and there is
     * one. Its settings must equal this run's (with {@link Checkpointing.Resume#ANYWAY} the
     * differences are logged instead); its data is checked by {@link #checkData} once the data
     * is cached.
     *
     * @throws IllegalArgumentException when not resuming and the directory holds checkpoints, or
     *     when the settings differ
     */
    Optional<RunState> resume() {
        if (checkpointing.resume() == Checkpointing.Resume.NEVER) {
            List<CheckpointStore.Position> existing = store.positions();
            if (!existing.isEmpty()) {
                throw new IllegalArgumentException("checkpoint directory " + store.path() + " already holds checkpoints "
                        + "(the newest after " + existing.get(0).describe() + "): continue that run with --resume, "
                        + "or give an empty checkpoint directory");
            }
            return Optional.empty();
        }
        Optional<CheckpointStore.Checkpoint> newest = store.newest();
        if (newest.isEmpty()) {
            LOG.info("no checkpoint in {}: training from the start", store.path());
            return Optional.empty();
        }
        CheckpointStore.Checkpoint checkpoint = newest.get();
        require(checkpoint, "settings", differences(checkpoint.description().path("settings"), settings));
        RunState state = RunState.fromBytes(checkpoint.state(), checkpoint.path());
        resumedData = checkpoint.description().path("data");
        LOG.info("resuming from the checkpoint after {} in {}", checkpoint.position().describe(), checkpoint.path());
        return Optional.of(state);
    }

    /**
     * Records the run's data and, when resuming, checks it against the checkpoint's.
     *
     * @param data the input files, rows and partitions, by name
     */
    void checkData(Map<String, Object> data, String where) {
        this.data = parsed(data);
        if (resumedData != null) {
            require(null, where, differences(resumedData, this.data));
        }
    }

    private void require(CheckpointStore.Checkpoint checkpoint, String what, List<String> differences) {
        if (differences.isEmpty()) {
            return;
        }
        String from = checkpoint != null ? "the checkpoint " + checkpoint.path() : "the checkpoint resumed from";
        String listed = String.join("; ", differences);
        if (checkpointing.resume() == Checkpointing.Resume.ANYWAY) {
            LOG.warn("resuming anyway although the {} differ from {}'s: {}", what, from, listed);
            return;
        }
        throw new IllegalArgumentException(from + " is of another run; its " + what + " differ: " + listed
                + ". Resume with --resume-anyway if the change is meant, or give an empty checkpoint directory");
    }

    /** Whether a checkpoint is due after {@code epoch} whole epochs, {@code globalStep} steps in all. */
    boolean dueAfterEpoch(int epoch, long globalStep) {
        return checkpointing.every().dueAfterEpoch(epoch, globalStep);
    }

    /** Whether a checkpoint is due inside an epoch after step {@code globalStep} (counting from 1). */
    boolean dueAfterStep(long globalStep) {
        return checkpointing.every().dueAfterStep(globalStep);
    }

    /** Writes {@code state} as the newest checkpoint and drops the oldest beyond the number kept. */
    void save(RunState state) {
        long t0 = System.nanoTime();
        ObjectNode description = JSON.createObjectNode();
        description.set("settings", settings);
        description.set("data", data);
        CheckpointStore.Position position = new CheckpointStore.Position(state.epoch(), state.step());
        store.save(position, description, state.toBytes(), checkpointing.keep());
        LOG.info("checkpoint after {} written to {} ({} ms)", position.describe(), store.path(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Where the checkpoints go. */
    String path() {
        return store.path();
    }

    @Override
    public void close() {
        store.close();
    }

    /** {@code values} as JSON read back from its text: numbers compare as they will when read from a checkpoint. */
    private static ObjectNode parsed(Map<String, Object> values) {
        try {
            return (ObjectNode) JSON.readTree(JSON.writeValueAsString(values));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }


    /** "name: was X, now Y" for every field that differs, recursing into objects. */
    static List<String> differences(JsonNode before, JsonNode now) {
        List<String> found = new ArrayList<>();
        differences("", before, now, found);
        return found;
    }

    private static void differences(String prefix, JsonNode before, JsonNode now, List<String> found) {
        if (before.isObject() && now.isObject()) {
            List<String> names = new ArrayList<>();
            before.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
            for (String name : names) {
                differences(prefix.isEmpty() ? name : prefix + "." + name, before.path(name), now.path(name), found);
            }
        } else if (!before.equals(now)) {
            found.add(prefix + " was " + shown(before) + ", now " + shown(now));
        }
    }

    private static String shown(JsonNode value) {
        String text = value.isMissingNode() ? "not set" : value.toString();
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "…";
    }
}
