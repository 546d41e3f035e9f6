package io.sparkprop.ml;

import io.sparkprop.spark.TrainingResult;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer perceptron classifier trained by sparkprop's data-parallel trainer: an Estimator for
 * Spark ML Pipelines, {@code CrossValidator} and {@code ParamGridBuilder}.
 *
 * <p>The network is {@code features → hiddenLayers (activation) → output}: the input width comes
 * from the features, the output from the labels. Class indices 0..k−1 (as StringIndexer makes
 * them; k from the column's metadata, else the largest label + 1) train a softmax output with
 * cross-entropy for k ≥ 3, and for k = 2 one sigmoid unit with binary cross-entropy (half the
 * output weights of a two-unit softmax, the same model class). A vector label of 0/1 entries is
 * multi-label: one sigmoid unit per entry. Per-example weights ({@code weightCol}) scale each
 * row's loss and gradient. See {@link MLPParams} for every Param; the defaults are those of
 * {@code sparkprop train}.
 */
public final class MLPClassifier extends ProbabilisticClassifier<Vector, MLPClassifier, MLPClassificationModel>
        implements MLPSetters<MLPClassifier>, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final MLPParamSet params;

    public MLPClassifier() {
        this(Identifiable$.MODULE$.randomUID("mlpClassifier"));
    }

    public MLPClassifier(String uid) {
        this(ConstructionUid.hold(uid), true);
    }

    private MLPClassifier(String uid, boolean held) {
        this.uid = uid;
        ConstructionUid.release();
        this.params = new MLPParamSet(this);
    }

    @Override
    public String uid() {
        return ConstructionUid.of(uid);
    }

    @Override
    public MLPParamSet mlpParamSet() {
        return params;
    }

    /**
     * Trains on {@code dataset}: vector features, a numeric (class index) or vector (multi-label)
     * label. Unlike Spark's classifiers the label need not be double: any numeric type is read.
     */
    @Override
    public MLPClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return copyValues(train(dataset), ParamMap.empty()).setParent(this);
    }

    @Override
    public MLPClassificationModel train(Dataset<?> dataset) {
        MLPTraining.Labels labels = MLPTraining.labels(dataset, getLabelCol(), MLPTraining.Task.CLASSIFICATION);
        TrainingResult result = MLPTraining.train(this, dataset, getFeaturesCol(), getLabelCol(), labels);
        return new MLPClassificationModel(uid, labels.named(result.model()), new MLPTrainingSummary(result));
    }

    /**
     * Checks the training columns (vector features; numeric or vector label; numeric weights; a
     * boolean validation indicator) and gives the schema the fitted model's {@code transform}
     * returns.
     *
     * @throws IllegalArgumentException naming the Param, the column and what was expected
     */
    @Override
    public StructType transformSchema(StructType schema) {
        MLPTraining.checkTrainingColumns(this, schema, getFeaturesCol(), getLabelCol());
        return MLPClassificationModel.outputSchema(schema, this,
                schema.apply(getLabelCol()).dataType().equals(org.apache.spark.ml.linalg.SQLDataTypes.VectorType()));
    }

    @Override
    public MLPClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Saves the Params (Spark's layout: {@code PATH/metadata/}); never replaces what it did not write. */
    @Override
    public MLWriter write() {
        return new MLPModelWriter(this, null, null);
    }

    public static MLReader<MLPClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static MLPClassifier load(String path) {
        return read().load(path);
    }
}
