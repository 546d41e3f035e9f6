package io.sparkprop.ml;

import io.sparkprop.spark.TrainingResult;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer perceptron regressor trained by sparkprop's data-parallel trainer: an Estimator for
 * Spark ML Pipelines, {@code CrossValidator} and {@code ParamGridBuilder}.
 *
 * <p>The network is {@code features → hiddenLayers (activation) → identity output} trained with
 * squared error; a numeric label gives one output, a vector label as many outputs as it has
 * entries (multi-output regression, predicted as a vector). Per-example weights
 * ({@code weightCol}) scale each row's loss and gradient. See {@link MLPParams} for every Param;
 * the defaults are those of {@code sparkprop train} (consider {@code standardize} and a smaller
 * {@code stepSize} for targets of large scale).
 */
public final class MLPRegressor extends Regressor<Vector, MLPRegressor, MLPRegressionModel>
        implements MLPSetters<MLPRegressor>, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final MLPParamSet params;

    public MLPRegressor() {
        this(Identifiable$.MODULE$.randomUID("mlpRegressor"));
    }

    public MLPRegressor(String uid) {
        this(ConstructionUid.hold(uid), true);
    }

    private MLPRegressor(String uid, boolean held) {
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

    /** Trains on {@code dataset}: vector features, a numeric or vector label. */
    @Override
    public MLPRegressionModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return copyValues(train(dataset), ParamMap.empty()).setParent(this);
    }

    @Override
    public MLPRegressionModel train(Dataset<?> dataset) {
        MLPTraining.Labels labels = MLPTraining.labels(dataset, getLabelCol(), MLPTraining.Task.REGRESSION);
        TrainingResult result = MLPTraining.train(this, dataset, getFeaturesCol(), getLabelCol(), labels);
        return new MLPRegressionModel(uid, result.model(), new MLPTrainingSummary(result));
    }

    /**
     * Checks the training columns and gives the schema the fitted model's {@code transform}
     * returns: a double prediction, or a vector one for a vector label.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        MLPTraining.checkTrainingColumns(this, schema, getFeaturesCol(), getLabelCol());
        boolean vector = schema.apply(getLabelCol()).dataType().equals(SQLDataTypes.VectorType());
        return MLPClassificationModel.append(schema, getPredictionCol(),
                vector ? SQLDataTypes.VectorType() : DataTypes.DoubleType);
    }

    @Override
    public MLPRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Saves the Params (Spark's layout: {@code PATH/metadata/}); never replaces what it did not write. */
    @Override
    public MLWriter write() {
        return new MLPModelWriter(this, null, null);
    }

    public static MLReader<MLPRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static MLPRegressor load(String path) {
        return read().load(path);
    }
}
