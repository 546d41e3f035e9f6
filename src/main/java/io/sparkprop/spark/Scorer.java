package io.sparkprop.spark;

import static org.apache.spark.sql.functions.col;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.CentringFold;
import io.sparkprop.engine.ClassThresholds;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.SparseFeatures;
import io.sparkprop.engine.SparseInputLayer;
import io.sparkprop.engine.Standardization;
import io.sparkprop.engine.Workspace;
import io.sparkprop.io.InvalidDataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Appends a model's outputs to every row of a DataFrame, keeping all its columns, a block of rows
 * at a time (one GEMM per layer and block, in float64). What is appended follows Spark's
 * {@code ProbabilisticClassificationModel} conventions, by the task the output layer implies
 * ({@link Metrics#taskOf}):
 * <ul>
 *   <li><b>multiclass</b> (softmax, k ≥ 2): {@code rawPrediction} the k logits, {@code probability}
 *       the k softmax outputs, {@code prediction} the arg-max class as a double;</li>
 *   <li><b>binary</b> (one sigmoid unit, logit z, output p): {@code rawPrediction} [−z, z],
 *       {@code probability} [1 − p, p], {@code prediction} 1.0 when p ≥ 0.5, else 0.0;</li>
 *   <li><b>multi-label</b> (k ≥ 2 sigmoid units): {@code rawPrediction} the k logits,
 *       {@code probability} the k sigmoids, {@code prediction} an {@code array<double>} of the
 *       labels with p ≥ 0.5, in increasing order (what {@code MultilabelClassificationEvaluator}
 *       reads);</li>
 *   <li><b>regression</b> (identity, tanh or relu): {@code prediction} only, a double for one
 *       output, a vector for several.</li>
 * </ul>
 * With thresholds t (multiclass and binary only), the prediction is the arg-max of p_k / t_k, a
 * threshold of 0 winning outright, as in Spark. The model's standardisation is applied first.
 * Appended columns carry ML attributes: a classifier's prediction is nominal with its k classes (2
 * for binary), vectors have an attribute group of their size.
 *
 * <p>{@link #transform} is lazy (a {@code mapPartitions} projection; it runs no job), so it works on
 * streaming Datasets too. Serializable, so that a Spark ML model holding one can be.
 */
public final class Scorer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Network network;
    private final double[] parameters;
    private final Standardization standardization;
    private final int blockSize;

    /** @param blockSize rows per forward pass (per GEMM), at least 1 */
    public Scorer(Model model, int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        }
        this.network = model.network();
        this.parameters = model.parameters();
        this.standardization = model.standardization().orElse(null);
        this.blockSize = blockSize;
    }

    /**
     * Names of the columns to append; a null name skips that column (rawPrediction and
     * probability are never appended for a regression model, whatever their names).
     *
     * @param thresholds Spark's per-class thresholds for the prediction of a multiclass or binary
     *        classifier (one per class, 2 for binary; none negative, at most one 0), or null for
     *        the plain arg-max
     */
    public record Columns(String rawPrediction, String probability, String prediction, double[] thresholds)
            implements Serializable {
        /** Spark's default names, {@code rawPrediction}, {@code probability} and {@code prediction}, no thresholds. */
        public static final Columns DEFAULT = new Columns("rawPrediction", "probability", "prediction", null);

        public Columns {
            if (thresholds != null) {
                thresholds = ClassThresholds.checked(thresholds);
            }
        }

        /** These columns with the given thresholds (null: none). */
        public Columns withThresholds(double[] thresholds) {
            return new Columns(rawPrediction, probability, prediction, thresholds);
        }

        /** A copy of the thresholds, or null. */
        @Override
        public double[] thresholds() {
            return thresholds == null ? null : thresholds.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Columns c && Objects.equals(rawPrediction, c.rawPrediction)
                    && Objects.equals(probability, c.probability) && Objects.equals(prediction, c.prediction)
                    && Arrays.equals(thresholds, c.thresholds);
        }

        @Override
        public int hashCode() {
            return Objects.hash(rawPrediction, probability, prediction, Arrays.hashCode(thresholds));
        }

        @Override
        public String toString() {
            return "Columns[rawPrediction=" + rawPrediction + ", probability=" + probability + ", prediction="
                    + prediction + ", thresholds=" + Arrays.toString(thresholds) + "]";
        }
    }

    /** The task the model's output layer implies, which decides what is appended (see the class comment). */
    public Metrics.Task task() {
        return Metrics.taskOf(network);
    }

    /** The model's network. */
    public Network network() {
        return network;
    }

    /**
     * The schema {@link #transform} gives: {@code input}'s columns followed by the appended ones, in
     * the order rawPrediction, probability, prediction.
     *
     * @throws IllegalArgumentException naming the column when {@code featuresCol} is missing, is
     *         not a vector or (by its ML attributes) not of the network's width, when an output
     *         column already exists or two have one name, or when thresholds do not fit the model
     */
    public StructType transformSchema(StructType input, String featuresCol, Columns columns) {
        Objects.requireNonNull(featuresCol, "featuresCol");
        Objects.requireNonNull(columns, "columns");
        List<String> names = Arrays.asList(input.fieldNames());
        if (!names.contains(featuresCol)) {
            throw new IllegalArgumentException("no features column '" + featuresCol + "' in the data; its columns are "
                    + describe(input));
        }
        StructField features = input.apply(featuresCol);
        if (!SQLDataTypes.VectorType().equals(features.dataType())) {
            throw new IllegalArgumentException("features column '" + featuresCol + "' has type "
                    + features.dataType().simpleString() + "; expected a vector (org.apache.spark.ml.linalg.Vector, "
                    + "e.g. from VectorAssembler); the data's columns are " + describe(input));
        }
        int width = AttributeGroup.fromStructField(features).size();
        if (width >= 0 && width != network.inputSize()) {
            throw new IllegalArgumentException("features column '" + featuresCol + "' holds vectors of " + width
                    + " values (by its attributes); the model expects " + network.inputSize());
        }
        checkThresholds(columns.thresholds);
        List<StructField> appended = appendedFields(columns);
        // Compared ignoring case, as Spark resolves column names by default.
        List<String> seen = new ArrayList<>();
        for (StructField field : appended) {
            if (names.stream().anyMatch(field.name()::equalsIgnoreCase)) {
                throw new IllegalArgumentException("output column '" + field.name() + "' already exists in the data "
                        + "(its columns are " + describe(input) + "); choose another name or drop that column");
            }
            if (seen.stream().anyMatch(field.name()::equalsIgnoreCase)) {
                throw new IllegalArgumentException("two output columns are both named '" + field.name() + "'");
            }
            seen.add(field.name());
        }
        StructType schema = input;
        for (StructField field : appended) {
            schema = schema.add(field);
        }
        return schema;
    }

    /**
     * {@code data} with the model's outputs appended to every row (see {@link #transformSchema}),
     * lazily; the rows keep their order and partitions. The weights are broadcast once per call. A
     * row whose features are null, of the wrong width or not finite fails the job with an
     * {@link InvalidDataException} naming the column, the row and the partition.
     */
    public Dataset<Row> transform(Dataset<?> data, String featuresCol, Columns columns) {
        StructType schema = transformSchema(data.schema(), featuresCol, columns);
        Dataset<Row> frame = data.toDF();
        if (schema.size() == frame.schema().size()) {
            return frame; // nothing to append
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        RowScorer scorer = new RowScorer(network, sc.broadcast(parameters), standardization, blockSize, task(),
                frame.schema().fieldIndex(featuresCol), featuresCol, columns);
        Dataset<Row> scored = frame.mapPartitions((MapPartitionsFunction<Row, Row>) scorer::score, Encoders.row(schema));
        // The encoder keeps names and types only: the input's ML attributes and ours are put back.
        return scored.select(Arrays.stream(schema.fields()).map(f -> col(quoted(f.name())).as(f.name(), f.metadata()))
                .toArray(Column[]::new));
    }

    /** A column name as {@code col} takes it literally, dots and back-ticks included. */
    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private void checkThresholds(double[] thresholds) {
        if (thresholds != null) {
            ClassThresholds.requireFits(thresholds, network);
        }
    }

    private List<StructField> appendedFields(Columns columns) {
        List<StructField> fields = new ArrayList<>();
        int k = network.outputSize();
        if (task() == Metrics.Task.REGRESSION) {
            if (columns.prediction != null) {
                fields.add(k == 1
                        ? new StructField(columns.prediction, DataTypes.DoubleType, false, Metadata.empty())
                        : new AttributeGroup(columns.prediction, k).toStructField());
            }
            return fields;
        }
        int classes = network.classes();
        if (columns.rawPrediction != null) {
            fields.add(new AttributeGroup(columns.rawPrediction, classes).toStructField());
        }
        if (columns.probability != null) {
            fields.add(new AttributeGroup(columns.probability, classes).toStructField());
        }
        if (columns.prediction != null) {
            fields.add(task() == Metrics.Task.MULTILABEL
                    ? new StructField(columns.prediction, DataTypes.createArrayType(DataTypes.DoubleType, false), false,
                            Metadata.empty())
                    : NominalAttribute.defaultAttr().withName(columns.prediction).withNumValues(classes)
                            .toStructField());
        }
        return fields;
    }

    /** "a (int), b (string)": the columns of {@code schema} with their types. */
    private static String describe(StructType schema) {
        return Arrays.stream(schema.fields()).map(f -> f.name() + " (" + f.dataType().simpleString() + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * One example's {@code rawPrediction} as {@link #transform} appends it: the logits, [−z, z] for
     * a binary model; a regression model's outputs.
     *
     * @throws IllegalArgumentException when the features are not finite or not the model's width
     */
    public double[] rawPrediction(org.apache.spark.ml.linalg.Vector features) {
        double[] raw = forward(features)[0];
        return task() == Metrics.Task.BINARY ? new double[] {-raw[0], raw[0]} : raw;
    }

    /** One example's network outputs (class probabilities, sigmoids or regression outputs). */
    public double[] outputs(org.apache.spark.ml.linalg.Vector features) {
        return forward(features)[1];
    }

    /**
     * Turns a {@link #rawPrediction} into the {@code probability} {@link #transform} appends, in
     * place: softmax, a sigmoid per label, or for a binary model [1 − σ(z), σ(z)].
     */
    public void probabilityInPlace(double[] rawPrediction) {
        if (task() == Metrics.Task.BINARY) {
            double[] p = {rawPrediction[1]};
            Activation.SIGMOID.apply(p, p, 1, 1);
            rawPrediction[0] = 1.0 - p[0];
            rawPrediction[1] = p[0];
        } else {
            network.output().activation().apply(rawPrediction, rawPrediction, rawPrediction.length, 1);
        }
    }

    /** The output layer's pre-activations and outputs for one example. */
    private double[][] forward(org.apache.spark.ml.linalg.Vector features) {
        int inputs = network.inputSize();
        int k = network.outputSize();
        double[] x = new double[inputs];
        Blocks.copyFeatures(features, x, 0, inputs);
        if (standardization != null) {
            standardization.apply(x, 1);
        }
        double[] raw = new double[k];
        double[] out = new double[k];
        new Backprop(network).predict(parameters, x, 1, new Workspace(network, 1), raw, out);
        return new double[][] {raw, out};
    }

    /** The executors' side: what one task needs to score its rows, without the driver's copy of the weights. */
    private record RowScorer(Network network, Broadcast<double[]> weights, Standardization standardization,
                             int blockSize, Metrics.Task task, int featureIndex, String featuresCol, Columns columns) implements Serializable {

        Iterator<Row> score(Iterator<Row> rows) {
            return new Blockwise(this, rows);
        }

        /** Appends the outputs of row {@code r} of a block to its values. */
        Row append(Row row, double[] raw, double[] out, int r) {
            int k = network.outputSize();
            int o = r * k;
            int width = row.size();
            Object[] values = new Object[width + 3];
            for (int i = 0; i < width; i++) {
                values[i] = row.get(i);
            }
            int c = width;
            if (task == Metrics.Task.REGRESSION) {
                if (columns.prediction() != null) {
                    values[c++] = k == 1 ? (Object) out[o] : new DenseVector(Arrays.copyOfRange(out, o, o + k));
                }
                return RowFactory.create(Arrays.copyOf(values, c));
            }
            double[] probability;
            double[] logits;
            if (task == Metrics.Task.BINARY) {
                probability = new double[] {1.0 - out[o], out[o]};
                logits = new double[] {-raw[o], raw[o]};
            } else {
                probability = Arrays.copyOfRange(out, o, o + k);
                logits = Arrays.copyOfRange(raw, o, o + k);
            }
            if (columns.rawPrediction() != null) {
                values[c++] = new DenseVector(logits);
            }
            if (columns.probability() != null) {
                values[c++] = new DenseVector(probability);
            }
            if (columns.prediction() != null) {
                values[c++] = prediction(probability);
            }
            return RowFactory.create(Arrays.copyOf(values, c));
        }

        private Object prediction(double[] probability) {
            double[] thresholds = columns.thresholds;
            if (task == Metrics.Task.MULTILABEL) {
                return labelsAtLeastHalf(probability);
            }
            if (thresholds == null) {
                return task == Metrics.Task.BINARY ? (probability[1] >= 0.5 ? 1.0 : 0.0)
                        : (double) Backprop.argMax(probability, 0, probability.length);
            }
            return (double) ClassThresholds.predict(probability, thresholds);
        }

        private static double[] labelsAtLeastHalf(double[] probability) {
            int n = 0;
            double[] labels = new double[probability.length];
            for (int i = 0; i < probability.length; i++) {
                if (probability[i] >= 0.5) {
                    labels[n++] = i;
                }
            }
            return Arrays.copyOf(labels, n);
        }
    }

    /**
     * Scores a partition's rows a block at a time, as they are consumed. A block of sparse rows
     * goes through the CSR path when {@link Blocks#sparseEnough} says so, as in training; the
     * transposed first layer it needs (and, with a standardisation, the weights with the centring
     * folded in) is made once per partition, on the first such block, and the dense buffers only
     * on the first dense block — for a wide input they would be large.
     */
    private static final class Blockwise implements Iterator<Row> {
        private final RowScorer scorer;
        private final Iterator<Row> rows;
        private final Backprop engine;
        private final Workspace ws;
        private final double[] params;
        private double[] x;
        private double[] sparseParams;
        private SparseInputLayer first;
        private final double[] raw;
        private final double[] out;
        private final List<Row> chunk;
        private final List<Row> results;
        private Iterator<Row> ready;
        private long rowsBefore;

        Blockwise(RowScorer scorer, Iterator<Row> rows) {
            this.scorer = scorer;
            this.rows = rows;
            Network network = scorer.network();
            int block = scorer.blockSize();
            this.engine = new Backprop(network);
            this.ws = new Workspace(network, block);
            this.params = scorer.weights().value();
            this.raw = new double[block * network.outputSize()];
            this.out = new double[block * network.outputSize()];
            this.chunk = new ArrayList<>(block);
            this.results = new ArrayList<>(block);
            this.ready = results.iterator();
        }

        @Override
        public boolean hasNext() {
            if (!ready.hasNext() && rows.hasNext()) {
                fill();
            }
            return ready.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.next();
        }

        private void fill() {
            chunk.clear();
            while (chunk.size() < scorer.blockSize() && rows.hasNext()) {
                chunk.add(rows.next());
            }
            int n = chunk.size();
            int inputs = scorer.network().inputSize();
            if (Blocks.sparseEnough(chunk, scorer.featureIndex(), inputs)) {
                scoreSparse(n, inputs);
            } else {
                scoreDense(n, inputs);
            }
            rowsBefore += n;
            results.clear();
            for (int r = 0; r < n; r++) {
                results.add(scorer.append(chunk.get(r), raw, out, r));
            }
            ready = results.iterator();
        }

        private void scoreDense(int n, int inputs) {
            if (x == null) {
                x = new double[scorer.blockSize() * inputs];
            }
            Arrays.fill(x, 0, n * inputs, 0.0); // sparse vectors write their non-zeros only
            for (int r = 0; r < n; r++) {
                try {
                    Blocks.copyFeatures(chunk.get(r).get(scorer.featureIndex()), x, r * inputs, inputs);
                } catch (IllegalArgumentException e) {
                    throw badRow(r, e);
                }
            }
            if (scorer.standardization() != null) {
                scorer.standardization().apply(x, n);
            }
            engine.predict(params, x, n, ws, raw, out);
        }

        private void scoreSparse(int n, int inputs) {
            Standardization standardization = scorer.standardization();
            if (first == null) {
                sparseParams = standardization == null ? params
                        : new CentringFold(scorer.network(), standardization).fold(params);
                first = SparseInputLayer.of(scorer.network(), sparseParams, Precision.FLOAT64);
            }
            SparseFeatures.Builder csr = new SparseFeatures.Builder(inputs, Precision.FLOAT64, n, 16 * n);
            for (int r = 0; r < n; r++) {
                try {
                    Blocks.appendFeatures((SparseVector) chunk.get(r).get(scorer.featureIndex()), csr, standardization);
                } catch (IllegalArgumentException e) {
                    throw badRow(r, e);
                }
            }
            engine.predict(sparseParams, first, csr.build(), ws, raw, out);
        }

        private InvalidDataException badRow(int r, IllegalArgumentException e) {
            return new InvalidDataException("column '" + scorer.featuresCol() + "', row " + (rowsBefore + r + 1)
                    + " of partition " + TaskContext.getPartitionId() + ": " + e.getMessage());
        }
    }
}
