package io.sparkprop.ml;

import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Precision;
import io.sparkprop.onnx.OnnxExport;
import io.sparkprop.spark.Scorer;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained {@link MLPClassifier}: {@code transform} keeps every input column and appends
 * {@code rawPrediction} (the output layer's logits; {@code (−z, z)} for a binary model's single
 * unit, Spark's convention), {@code probability} and {@code prediction} (the class index; for a
 * multi-label model the array of predicted label indices, as Spark's
 * {@code MultilabelClassificationEvaluator} reads). Scoring runs a block of rows at a time through
 * the same engine as training; {@code transform} is a lazy projection, so it works on streaming
 * DataFrames too.
 */
public final class MLPClassificationModel extends ProbabilisticClassificationModel<Vector, MLPClassificationModel>
        implements MLPParams, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final MLPParamSet params;
    private final Model model;
    private final transient MLPTrainingSummary summary;
    /** Scores single rows ({@code predict}, {@code predictRaw}); built once, as it copies the weights. */
    private transient Scorer rowScorer;

    MLPClassificationModel(String uid, Model model, MLPTrainingSummary summary) {
        this(ConstructionUid.hold(uid), model, summary, true);
    }

    private MLPClassificationModel(String uid, Model model, MLPTrainingSummary summary, boolean held) {
        if (!model.network().isClassifier()) {
            throw new IllegalArgumentException("the network " + model.network() + " is not a classifier");
        }
        this.uid = uid;
        ConstructionUid.release();
        this.params = new MLPParamSet(this);
        this.model = model;
        this.summary = summary;
    }

    /** Wraps a trained sparkprop model (e.g. loaded from a model directory) as a Spark ML model. */
    public MLPClassificationModel(String uid, Model model) {
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

    /** Classes: k for softmax and multi-label models, 2 for a binary model's single sigmoid unit. */
    @Override
    public int numClasses() {
        return model.network().classes();
    }

    @Override
    public int numFeatures() {
        return model.network().inputSize();
    }

    /** Whether the model predicts a set of labels (one sigmoid unit per label) rather than one class. */
    public boolean isMultilabel() {
        return Metrics.taskOf(model.network()) == Metrics.Task.MULTILABEL;
    }

    /** The logits of one example's raw features (for a binary model {@code (−z, z)}). */
    @Override
    public Vector predictRaw(Vector features) {
        return new DenseVector(rowScorer().rawPrediction(features));
    }

    /** Turns logits into probabilities in place: softmax, or a sigmoid per unit for binary and multi-label models. */
    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        rowScorer().probabilityInPlace(((DenseVector) rawPrediction).values());
        return rawPrediction;
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
        return new Scorer.Columns(nonEmpty(getRawPredictionCol()), nonEmpty(getProbabilityCol()),
                nonEmpty(getPredictionCol()), isDefined(thresholds()) ? getThresholds() : null);
    }

    private static String nonEmpty(String column) {
        return column == null || column.isEmpty() ? null : column;
    }

    /**
     * The schema a classifier's model appends to {@code schema}, for the estimator's
     * {@code transformSchema} (before the model, and so its metadata, exists).
     */
    static StructType outputSchema(StructType schema, org.apache.spark.ml.classification.ProbabilisticClassifier<?, ?, ?> p,
                                   boolean multilabel) {
        StructType result = schema;
        result = append(result, p.getRawPredictionCol(), SQLDataTypes.VectorType());
        result = append(result, p.getProbabilityCol(), SQLDataTypes.VectorType());
        return append(result, p.getPredictionCol(),
                multilabel ? DataTypes.createArrayType(DataTypes.DoubleType, false) : DataTypes.DoubleType);
    }

    static StructType append(StructType schema, String column, org.apache.spark.sql.types.DataType type) {
        if (column == null || column.isEmpty()) {
            return schema;
        }
        if (java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("output column '" + column + "' already exists; set another name "
                    + "or drop the column");
        }
        return schema.add(column, type, false);
    }

    /**
     * The loss and metrics of the model on labelled {@code dataset} (its {@code featuresCol},
     * {@code labelCol} and, when set, {@code weightCol}): accuracy, log loss, F1, the confusion matrix.
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

    /**
     * Spark's helper for summaries of its own classifiers; declared here only because Java sees
     * the Scala classes' two declarations of it as a clash.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public MLPClassificationModel copy(ParamMap extra) {
        return copyValues(new MLPClassificationModel(uid, model, summary), extra).setParent(parent());
    }

    /**
     * The model as an ONNX export (float32 unless changed) whose metadata holds this model's Params
     * as its training settings and its thresholds, when set, in the label; see {@link OnnxExport}.
     */
    public OnnxExport onnx() {
        return OnnxExports.of(this, model, isDefined(thresholds()) ? getThresholds() : null);
    }

    /**
     * Writes the model as an ONNX file (opset {@value OnnxExport#OPSET}, float32) to {@code path},
     * any path Hadoop writes, whole or not at all; an existing file is refused. ONNX Runtime serves
     * it: input {@code features}, outputs {@code probabilities} and {@code label}.
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

    public static MLReader<MLPClassificationModel> read() {
        return new MLPModelReader<>(MLPClassificationModel.class, MLPClassificationModel::new);
    }

    public static MLPClassificationModel load(String path) {
        return read().load(path);
    }
}
