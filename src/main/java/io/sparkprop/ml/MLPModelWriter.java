package io.sparkprop.ml;

import io.sparkprop.engine.Model;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.OutputKind;
import io.sparkprop.io.PendingOutput;
import io.sparkprop.io.RunFiles;
import io.sparkprop.io.TrainingRecord;
import io.sparkprop.report.TrainingReport;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;

/**
 * Saves an MLP estimator or model in Spark's ML layout: {@code PATH/metadata/} (the Params, by Spark's own
 * {@code DefaultParamsWriter}) and the sparkprop model directory {@code PATH/data/}
 * ({@code metadata.json} and the checksummed {@code weights.bin}, which {@code sparkprop predict
 * --model PATH} reads too; for a model fresh from {@code fit} also {@code metrics.jsonl}, the
 * plots and {@code report.html}, as {@code sparkprop train} leaves them).
 *
 * <p>Unlike Spark's writers, {@code save} never deletes what it did not write: the model is
 * written aside and moved into place whole, and {@code overwrite()} replaces only a model saved
 * this way (or an empty directory); anything else at the path is refused.
 */
final class MLPModelWriter extends MLWriter {

    private final Params instance;
    private final Model model;
    private final TrainingRecord record;
    /** The report with the model when its training run is known; nothing more for a loaded model. */
    private final RunFiles report;

    /**
     * @param model the trained model, or null for an estimator (its Params only)
     * @param record how the model was trained, or null when that is not known (a loaded model)
     */
    MLPModelWriter(Params instance, Model model, TrainingRecord record) {
        this.instance = instance;
        this.model = model;
        this.record = record != null ? record : new TrainingRecord(Map.of(), Map.of(), List.of());
        this.report = record != null ? TrainingReport.INSTANCE : RunFiles.NONE;
    }

    @Override
    public void save(String path) {
        ModelStore store = new ModelStore(sc().hadoopConfiguration());
        try (PendingOutput reserved = model == null
                ? PendingOutput.reserve(sc().hadoopConfiguration(), OutputKind.SPARK_ML_PARAMS, path, shouldOverwrite(),
                        List.of())
                : store.reserve(path, OutputKind.SPARK_ML_MODEL, shouldOverwrite(), List.of())) {
            saveMetadata(reserved.aside().toString());
            if (model == null) {
                reserved.commit();
            } else {
                store.save(model, record, reserved, report); // writes data/ beside the metadata, then commits
            }
        }
    }

    /** Writes into {@code path}, which does not exist yet: how Spark's pipeline writers save their stages. */
    @Override
    public void saveImpl(String path) {
        saveMetadata(path);
        if (model != null) {
            ModelStore store = new ModelStore(sc().hadoopConfiguration());
            try (PendingOutput data = store.reserve(new Path(path, ModelStore.SPARK_ML_DATA).toString(), false,
                    List.of())) {
                store.save(model, record, data, report);
            }
        }
    }

    /** Spark's own Params metadata, in {@code path/metadata/}. */
    private void saveMetadata(String path) {
        DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
    }
}
