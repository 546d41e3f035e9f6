package io.sparkprop.ml;

import io.sparkprop.engine.Model;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.PendingOutput;
import java.util.function.BiFunction;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader.Metadata;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/**
 * Loads what {@link MLPModelWriter} saved: the Params from {@code PATH/metadata/} and the model
 * from {@code PATH/data/}, verified (checksum, shapes, finite weights) before it is used.
 *
 * @param <M> the model class
 */
final class MLPModelReader<M extends Params> extends MLReader<M> {
    private final Class<M> modelClass;
    private final BiFunction<String, Model, M> create;

    /** @param create builds the model from its uid and the loaded network and weights */
    MLPModelReader(Class<M> modelClass, BiFunction<String, Model, M> create) {
        this.modelClass = modelClass;
        this.create = create;
    }

    @Override
    public M load(String path) {
        PendingOutput.restore(sc().hadoopConfiguration(), path); // a replacement killed between its renames
        Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), modelClass.getName());
        Model model = new ModelStore(sc().hadoopConfiguration()).load(path);
        M instance = create.apply(metadata.uid(), model);
        metadata.getAndSetParams(instance, Option.empty());
        return instance;
    }
}
