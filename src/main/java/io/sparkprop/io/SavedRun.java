package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.engine.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a model directory tells about how its model was trained, typed: the network, the
 * settings, the history per epoch, the final metrics, the environment and a regression's sample of
 * predictions. A report is drawn from this alone, so a report written with the model and one
 * regenerated later from the directory are the same. A model saved without its run (a Spark ML
 * model loaded and saved again) has no settings or metrics and an empty history.
 *
 * @param where the model directory, for the report's title
 */
public record SavedRun(String where, Network network, Optional<RunSettings> settings, List<EpochRecord> history,
                       Optional<SavedMetrics> training, Optional<SavedMetrics> validation,
                       Optional<RunEnvironment> environment, Optional<SampledPredictions> predictions) {
    public SavedRun {
        history = List.copyOf(history);
    }

    /**
     * Reads the run from a verified model's {@code metadata.json}.
     *
     * @param file the metadata file, for messages
     * @param predictions the sample {@code metadata.json}'s {@code predictions} announces, when present
     * @throws ModelStoreException naming the field that holds something unexpected
     */
    static SavedRun fromJson(String where, JsonNode metadata, Network network, String file,
                             Optional<SampledPredictions> predictions) {
        JsonNode training = metadata.path("training");
        Optional<RunSettings> settings = training.isObject() && training.size() > 0
                ? Optional.of(RunSettings.fromJson(training, file + ": training")) : Optional.empty();
        List<EpochRecord> history = new ArrayList<>();
        JsonNode entries = metadata.path("history");
        for (int i = 0; i < entries.size(); i++) {
            history.add(EpochRecord.fromJson(entries.get(i), file + ": history[" + i + "]"));
        }
        JsonNode environment = metadata.get("environment");
        return new SavedRun(where, network, settings, history, metrics(metadata, "training", file),
                metrics(metadata, "validation", file),
                environment == null ? Optional.empty()
                        : Optional.of(RunEnvironment.fromJson(environment, file + ": environment")),
                predictions);
    }

    private static Optional<SavedMetrics> metrics(JsonNode metadata, String name, String file) {
        JsonNode node = metadata.path("metrics").get(name);
        return node == null || !node.isObject() ? Optional.empty()
                : Optional.of(SavedMetrics.fromJson(node, file + ": metrics." + name));
    }

    /** The metrics the report shows the details of: validation if there was any, else training. */
    public Optional<SavedMetrics> reported() {
        return validation.or(() -> training);
    }

    /** Which data {@link #reported()} measured: {@code "validation"} or {@code "training"}. */
    public String reportedData() {
        return validation.isPresent() ? "validation" : "training";
    }

    /** The epoch whose weights the model holds, or the last epoch run when the settings do not say. */
    public int keptEpoch() {
        long kept = settings.map(RunSettings::keptEpoch).orElse(-1L);
        return kept > 0 ? (int) kept : history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    }
}
