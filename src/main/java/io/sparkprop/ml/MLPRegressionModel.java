package io.sparkprop.ml;

import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Precision;
import io.sparkprop.onnx.OnnxExport;
import io.sparkprop.spark.Scorer;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A trained {@link MLPRegressor}: {@code transform} keeps every input column and appends
 * {@code prediction}, a double for a one-output model, a vector for a multi-output one. Scoring
 * runs a block of rows at a time through the same engine as training; {@code transform} is a lazy
 * projection, so it works on streaming DataFrames too.
 */
public final class MLPRegressionModel extends RegressionModel<Vector, MLPRegressionModel>
        implements MLPParams, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final MLPParamSet params;
    private final Model model;
    private final transient MLPTrainingSummary summary;
    /** Scores single rows ({@code predict}, {@code predictRaw}); built once, as it copies the weights. */
    private transient Scorer rowScorer;

    MLPRegressionModel(String uid, Model model, MLPTrainingSummary summary) {
        this(ConstructionUid.hold(uid), model, summary, true);
    }

    private MLPRegressionModel(String uid, Model model, MLPTrainingSummary summary, boolean held) {
        if (model.network().isClassifier()) {
            throw new IllegalArgumentException("the network " + model.network() + " is a classifier");
        }
        this.uid = uid;
        ConstructionUid.release();
        this.params = new MLPParamSet(this);
        this.model = model;
        this.summary = summary;
    }

    /** Wraps a trained sparkprop regression model (e.g. loaded from a model directory) as a Spark ML model. */
    public MLPRegressionModel(String uid, Model model) {
        this(uid, model, null);
    }

    @Override
    public String uid() {
        return ConstructionUid.of(uid);
    }

    @Override
    public MLPParamSet mlpParamSet() {
        return params;
    }

    /** The network, its weights and its standardisation. */
    public Model engineModel() {
        return model;
    }

    @Override
    public int numFeatures() {
        return model.network().inputSize();
    }

    /** Outputs per example: 1, or the label vectors' length for multi-output regression. */
    public int numOutputs() {
        return model.network().outputSize();
    }

    /**
     * The prediction for one example's raw features.
     *
     * @throws IllegalStateException for a multi-output model: use {@link #predictVector}
     */
    @Override
    public double predict(Vector features) {
        if (numOutputs() != 1) {
            throw new IllegalStateException("this model predicts " + numOutputs() + " outputs; use predictVector");
        }
        return predictVector(features).apply(0);
    }

    /** The outputs for one example's raw features. */
    public Vector predictVector(Vector features) {
        return new DenseVector(rowScorer().outputs(features));
    }

    private Scorer scorer() {
        return new Scorer(model, getBlockSize());
    }

    private Scorer rowScorer() {
        if (rowScorer == null) {
            rowScorer = new Scorer(model, 1);
        }
        return rowScorer;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return scorer().transformSchema(schema, getFeaturesCol(), columns());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return scorer().transform(dataset, getFeaturesCol(), columns());
    }

    private Scorer.Columns columns() {
        String prediction = getPredictionCol();
        return new Scorer.Columns(null, null, prediction == null || prediction.isEmpty() ? null : prediction, null);
    }

    /**
     * The loss and metrics of the model on labelled {@code dataset} (its {@code featuresCol},
     * {@code labelCol} and, when set, {@code weightCol}): RMSE, MAE, R² per output.
     */
    public Metrics evaluate(Dataset<?> dataset) {
        return MLPTraining.evaluate(this, model, dataset, getFeaturesCol(), getLabelCol());
    }

    /** Whether {@link #summary()} is available: on a model fresh from {@code fit}, not on a loaded one. */
    public boolean hasSummary() {
        return summary != null;
    }

    /**
     * How the model was trained.
     *
     * @throws IllegalStateException on a model that was loaded or copied without one
     */
    public MLPTrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("no training summary: this model " + uid + " was not trained in this session");
        }
        return summary;
    }

    @Override
    public MLPRegressionModel copy(ParamMap extra) {
        return copyValues(new MLPRegressionModel(uid, model, summary), extra).setParent(parent());
    }

    /**
     * The model as an ONNX export (float32 unless changed) whose metadata holds this model's Params
     * as its training settings; see {@link OnnxExport}.
     */
    public OnnxExport onnx() {
        return OnnxExports.of(this, model, null);
    }

    /**
     * Writes the model as an ONNX file (opset {@value OnnxExport#OPSET}, float32) to {@code path},
     * any path Hadoop writes, whole or not at all; an existing file is refused. ONNX Runtime serves
     * it: input {@code features}, outputs {@code prediction}.
     */
    public void exportOnnx(String path) {
        exportOnnx(path, Precision.FLOAT32);
    }

    /** {@link #exportOnnx(String)} in {@code precision}: the weights, the input and the float outputs. */
    public void exportOnnx(String path, Precision precision) {
        onnx().withPrecision(precision).save(OnnxExports.hadoop(), path, false);
    }

    /**
     * Saves the model in Spark's ML layout, with the sparkprop model directory in {@code PATH/data/}
     * ({@code sparkprop predict --model PATH} reads it); never replaces what it did not write.
     */
    @Override
    public MLWriter write() {
        return new MLPModelWriter(this, model, summary == null ? null : summary.result().record("Spark ML Dataset"));
    }

    public static MLReader<MLPRegressionModel> read() {
        return new MLPModelReader<>(MLPRegressionModel.class, MLPRegressionModel::new);
    }

    public static MLPRegressionModel load(String path) {
        return read().load(path);
    }
}
