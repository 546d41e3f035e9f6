package io.sparkprop.ml;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.io.DataErrors;
import io.sparkprop.io.InvalidDataException;
import io.sparkprop.io.ModelStore;
import io.sparkprop.optim.Adam;
import io.sparkprop.optim.GradientDescent;
import io.sparkprop.optim.Lamb;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.Momentum;
import io.sparkprop.optim.Nesterov;
import io.sparkprop.optim.Optimizer;
import io.sparkprop.optim.UpdateRule;
import io.sparkprop.spark.ModelEvaluator;
import io.sparkprop.spark.SparkSettings;
import io.sparkprop.io.InputPath;
import io.sparkprop.spark.Checkpointing;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.spark.SyncMode;
import io.sparkprop.spark.TrainingConfig;
import io.sparkprop.spark.TrainingResult;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link MLPClassifier} and {@link MLPRegressor} share: checking the training columns,
 * deriving the network from the data (input width from the features, output layer and loss from
 * the labels), the {@link TrainingConfig} from the Params, and one run of the {@link SparkTrainer}
 * — the trainer the command line uses too.
 */
final class MLPTraining {
    private static final Logger LOG = LoggerFactory.getLogger(MLPTraining.class);
    /** Applications already warned about missing Spark settings (one warning per application). */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** What the labels mean. */
    enum Task { CLASSIFICATION, REGRESSION }

    private MLPTraining() {
    }

    /**
     * Checks the training columns of {@code schema}: vector features, a numeric or vector label,
     * a numeric weight and a boolean validation indicator when those Params are set.
     *
     * @throws IllegalArgumentException naming the column, its type and what was expected
     */
    static void checkTrainingColumns(MLPParams params, StructType schema, String featuresCol, String labelCol) {
        requireColumn(schema, featuresCol, "featuresCol", "a vector (org.apache.spark.ml.linalg.Vector)",
                type -> type.equals(SQLDataTypes.VectorType()));
        requireColumn(schema, labelCol, "labelCol", "numeric or a vector",
                type -> type instanceof NumericType || type.equals(SQLDataTypes.VectorType()));
        if (weightColumn(params) != null) {
            requireColumn(schema, weightColumn(params), "weightCol", "numeric", type -> type instanceof NumericType);
        }
        if (params.isDefined(params.validationIndicatorCol()) && !params.getValidationIndicatorCol().isEmpty()) {
            requireColumn(schema, params.getValidationIndicatorCol(), "validationIndicatorCol", "boolean",
                    type -> type instanceof BooleanType);
        }
    }

    static void requireColumn(StructType schema, String name, String param, String expected,
                              java.util.function.Predicate<DataType> accepted) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException(param + ": there is no column '" + name + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        DataType type = schema.apply(name).dataType();
        if (!accepted.test(type)) {
            throw new IllegalArgumentException(param + ": column '" + name + "' is " + type.simpleString()
                    + "; expected " + expected);
        }
    }

    /**
     * Trains a network for {@code task} on {@code dataset}.
     *
     * @param labelMeaning what the labels are, derived by {@link #labels}
     */
    static TrainingResult train(MLPParams params, Dataset<?> dataset, String featuresCol, String labelCol,
                                Labels labelMeaning) {
        SparkSession spark = dataset.sparkSession();
        warnAboutMissingSettings(spark);
        Dataset<Row> data = withDoubleLabel(dataset.toDF(), labelCol);
        int features = featureCount(data, featuresCol);
        Model start = initialModel(params, spark);
        Network network = network(params, features, labelMeaning, start);
        TrainingConfig config = config(params);

        SparkTrainer trainer = new SparkTrainer(config).withColumns(featuresCol, labelCol, weightColumn(params))
                .withSync(SyncMode.parse(params.getSyncMode()));
        if (params.isDefined(params.checkpointDir()) && !params.getCheckpointDir().isEmpty()
                && params.getCheckpointInterval() != -1) {
            Checkpointing checkpoints = new Checkpointing(params.getCheckpointDir(),
                    new Checkpointing.Interval(params.getCheckpointInterval(), false), Checkpointing.DEFAULT_KEEP,
                    Checkpointing.Resume.IF_PRESENT, true);
            trainer = trainer.withCheckpoints(checkpoints, start == null ? List.of()
                    : List.of(new InputPath("initialModel", params.getInitialModel())));
        }
        String indicator = params.isDefined(params.validationIndicatorCol()) ? params.getValidationIndicatorCol() : "";
        Dataset<Row> training = data;
        if (!indicator.isEmpty()) {
            if (params.getValidationFraction() > 0) {
                throw new IllegalArgumentException("set validationFraction or validationIndicatorCol, not both");
            }
            // A null indicator counts as false: the row trains.
            training = data.filter(not(coalesce(col(indicator), lit(false))));
            trainer = trainer.withValidation(data.filter(coalesce(col(indicator), lit(false))));
        } else if (params.getEarlyStoppingPatience() > 0 && params.getValidationFraction() == 0) {
            throw new IllegalArgumentException("earlyStoppingPatience needs validation data: set validationFraction "
                    + "or validationIndicatorCol");
        }
        return start == null ? trainer.fit(training, network) : trainer.fit(training, start);
    }

    /** The metrics of {@code model} on labelled {@code dataset}, weighted by {@code weightCol} when it is set. */
    static Metrics evaluate(MLPParams params, Model model, Dataset<?> dataset, String featuresCol, String labelCol) {
        return new ModelEvaluator(model, params.getBlockSize(), params.getAggregationDepth())
                .evaluate(withDoubleLabel(dataset.toDF(), labelCol), featuresCol, labelCol, weightColumn(params));
    }

    /** The weight column, or null when every row weighs 1. */
    static String weightColumn(MLPParams params) {
        return params.isDefined(params.weightCol()) && !params.getWeightCol().isEmpty() ? params.getWeightCol() : null;
    }

    /** The training configuration the Params describe. */
    static TrainingConfig config(MLPParams p) {
        return new TrainingConfig(p.getMaxIter(), p.getStepSize(), p.getSeed(), 0, p.getBlockSize(),
                p.getAggregationDepth(), Precision.parse(p.getPrecision()), p.getBatchSize(), updateRule(p),
                p.getStandardize(), p.getValidationFraction(), p.getEarlyStoppingPatience(), p.getTol());
    }

    /** The optimizer, schedule, warm-up, weight decay and clipping the Params describe. */
    static UpdateRule updateRule(MLPParams p) {
        Optimizer optimizer = switch (Optimizer.Kind.parse(p.getOptimizer())) {
            case GD -> new GradientDescent();
            case MOMENTUM -> new Momentum(p.getMomentum());
            case NESTEROV -> new Nesterov(p.getMomentum());
            case ADAM -> new Adam(p.getBeta1(), p.getBeta2(), p.getEpsilon());
            case LAMB -> new Lamb(p.getBeta1(), p.getBeta2(), p.getEpsilon());
        };
        LearningRateSchedule schedule = switch (LearningRateSchedule.Kind.parse(p.getLrSchedule())) {
            case CONSTANT -> new LearningRateSchedule.Constant();
            case STEP -> new LearningRateSchedule.StepDecay(p.getLrDecay(), p.getLrDecayEpochs());
            case EXPONENTIAL -> new LearningRateSchedule.Exponential(p.getLrDecay());
            case COSINE -> new LearningRateSchedule.Cosine(p.getLrMin());
        };
        return new UpdateRule(optimizer, schedule, p.getWeightDecay(), p.getClipNorm(), p.getWarmupEpochs());
    }

    /**
     * What the label column holds and so the network's output layer.
     *
     * @param outputs output units
     * @param vector whether the labels are vectors (multi-label classification, multi-output regression)
     * @param names the classes' names from the label column's metadata (StringIndexer's), or null
     */
    record Labels(int outputs, boolean vector, Task task, List<String> names) {
        Labels(int outputs, boolean vector, Task task) {
            this(outputs, vector, task, null);
        }

        /** {@code model} with the classes' names, when the label column gave them. */
        Model named(Model model) {
            return names == null ? model : model.withLabels(names);
        }

        /** The output activation, and by {@link io.sparkprop.engine.Loss#defaultFor} the loss. */
        Activation outputActivation() {
            if (task == Task.REGRESSION) {
                return Activation.IDENTITY;
            }
            return vector || outputs == 1 ? Activation.SIGMOID : Activation.SOFTMAX;
        }
    }

    /**
     * Derives {@link Labels} from the label column: for a classifier, the number of classes from the
     * column's metadata (StringIndexer's) or else its largest value; two classes get one sigmoid
     * unit with binary cross-entropy, more a softmax with cross-entropy; a vector label is
     * multi-label (one sigmoid per entry) or multi-output regression.
     */
    static Labels labels(Dataset<?> dataset, String labelCol, Task task) {
        StructField field = dataset.schema().apply(labelCol);
        if (field.dataType().equals(SQLDataTypes.VectorType())) {
            int width = AttributeGroup.fromStructField(field).size();
            if (width < 0) {
                Row first = DataErrors.rethrowing(() -> dataset.toDF().select(labelCol).first());
                if (first == null || first.isNullAt(0)) {
                    throw new InvalidDataException("labelCol: the first row of column '" + labelCol + "' has no label");
                }
                width = ((Vector) first.get(0)).size();
            }
            if (width < 1) {
                throw new InvalidDataException("labelCol: the label vectors of column '" + labelCol + "' are empty");
            }
            return new Labels(width, true, task);
        }
        if (task == Task.REGRESSION) {
            return new Labels(1, false, task);
        }
        int classes = classesFromMetadata(field);
        List<String> names = classNames(field, classes);
        if (classes < 0) {
            Row top = DataErrors.rethrowing(() -> dataset.toDF().agg(max(col(labelCol).cast(DataTypes.DoubleType)))
                    .first());
            if (top.isNullAt(0)) {
                throw new InvalidDataException("the training data has no rows with a label in column '" + labelCol
                        + "'");
            }
            double largest = top.getDouble(0);
            if (largest != Math.rint(largest) || largest < 0 || largest >= Integer.MAX_VALUE) {
                throw new InvalidDataException("labelCol: column '" + labelCol + "' has the label " + largest
                        + "; class labels are 0, 1, ..., k-1 (StringIndexer makes them from any values)");
            }
            classes = (int) largest + 1;
        }
        if (classes < 2) {
            throw new InvalidDataException("labelCol: column '" + labelCol + "' has one class only; a classifier "
                    + "needs at least two");
        }
        return new Labels(classes == 2 ? 1 : classes, false, task, names);
    }

    /** The names a nominal or binary label column's metadata gives its {@code classes} values, or null. */
    private static List<String> classNames(StructField field, int classes) {
        Attribute attribute = Attribute.fromStructField(field);
        scala.Option<String[]> values = attribute instanceof NominalAttribute nominal ? nominal.values()
                : attribute instanceof BinaryAttribute binary ? binary.values() : scala.Option.empty();
        if (values.isEmpty() || values.get().length != classes) {
            return null;
        }
        List<String> names = List.of(values.get());
        return new java.util.HashSet<>(names).size() == names.size() ? names : null;
    }

    /** The number of classes a nominal or binary label column's metadata declares, or -1. */
    private static int classesFromMetadata(StructField field) {
        Attribute attribute = Attribute.fromStructField(field);
        if (attribute instanceof BinaryAttribute) {
            return 2;
        }
        if (attribute instanceof NominalAttribute nominal && nominal.getNumValues().isDefined()) {
            return (Integer) nominal.getNumValues().get();
        }
        return -1;
    }

    /** The features' width: from the column's metadata (VectorAssembler's) or else the first row. */
    static int featureCount(Dataset<Row> data, String featuresCol) {
        int width = AttributeGroup.fromStructField(data.schema().apply(featuresCol)).size();
        if (width >= 0) {
            return width;
        }
        Row first = DataErrors.rethrowing(() -> data.select(featuresCol).first());
        if (first == null) {
            throw new InvalidDataException("the training data has no rows");
        }
        if (first.isNullAt(0)) {
            throw new InvalidDataException("featuresCol: the first row of column '" + featuresCol
                    + "' has no features");
        }
        return ((Vector) first.get(0)).size();
    }

    /**
     * The network to train: hidden layers and activation from the Params between the data's
     * widths; an initial model's own network, which must agree with the data (and with
     * {@code hiddenLayers} when that is set).
     */
    static Network network(MLPParams params, int features, Labels labels, Model start) {
        int[] sizes = IntStream.concat(IntStream.concat(IntStream.of(features), Arrays.stream(params.getHiddenLayers())),
                IntStream.of(labels.outputs())).toArray();
        Network fromParams = Network.of(sizes, Activation.parse(params.getActivation()), labels.outputActivation());
        if (start == null) {
            return fromParams;
        }
        Network initial = start.network();
        boolean hiddenSet = params.isSet(params.hiddenLayers()) || params.isSet(params.activation());
        if (initial.inputSize() != features || initial.outputSize() != labels.outputs()
                || initial.output().activation() != labels.outputActivation() || hiddenSet && !initial.equals(fromParams)) {
            throw new IllegalArgumentException("initialModel " + params.getInitialModel() + " is the network "
                    + initial + "; these data and Params need " + fromParams);
        }
        if (params.getStandardize() && start.standardization().isEmpty()) {
            throw new IllegalArgumentException("standardize: the initialModel " + params.getInitialModel()
                    + " was trained on raw features, so its weights expect them");
        }
        return initial;
    }

    private static Model initialModel(MLPParams params, SparkSession spark) {
        if (!params.isDefined(params.initialModel()) || params.getInitialModel().isEmpty()) {
            return null;
        }
        return new ModelStore(spark.sparkContext().hadoopConfiguration()).load(params.getInitialModel());
    }

    /** A numeric label as double, keeping its metadata; a vector label as it is. */
    private static Dataset<Row> withDoubleLabel(Dataset<Row> data, String labelCol) {
        StructField field = data.schema().apply(labelCol);
        if (field.dataType() instanceof NumericType && !field.dataType().equals(DataTypes.DoubleType)) {
            return data.withColumn(labelCol, col(labelCol).cast(DataTypes.DoubleType), field.metadata());
        }
        return data;
    }

    /**
     * Warns once per application when the session lacks settings that make steps cheaper; Spark
     * reads them only when the session starts, so they cannot be applied here.
     */
    private static void warnAboutMissingSettings(SparkSession spark) {
        var missing = SparkSettings.missing(spark);
        if (!missing.isEmpty() && WARNED.add(spark.sparkContext().applicationId())) {
            LOG.warn("sparkprop trains faster with these settings, which Spark reads only when the session is built "
                    + "(SparkSettings.applyDefaults(conf) sets them): {}",
                    missing.stream().map(Object::toString).collect(Collectors.joining("; ")));
        }
    }
}
