package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Standardization;
import io.sparkprop.io.DataErrors;
import io.sparkprop.io.InvalidDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ScorerTest {
    private static final int INPUTS = 4;
    private static final int ROWS = 23;
    private static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("id", DataTypes.LongType, false, Metadata.empty()),
        new StructField("features", SQLDataTypes.VectorType(), true, Metadata.empty()),
        new StructField("name", DataTypes.StringType, true, Metadata.empty())});

    /** Row r's features: dense, except every third row is sparse (with zeros in between). */
    private static Vector features(int r) {
        double[] x = new double[INPUTS];
        for (int j = 0; j < INPUTS; j++) {
            x[j] = r % 3 == 0 && j % 2 == 1 ? 0.0 : Math.sin(1.7 * r + 0.9 * j) * (1 + j);
        }
        return r % 3 == 0 ? Vectors.dense(x).toSparse() : Vectors.dense(x);
    }

    private static Dataset<Row> data() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            rows.add(RowFactory.create((long) r, features(r), "row " + r));
        }
        return LocalSpark.session().createDataFrame(rows, SCHEMA).repartition(3).sortWithinPartitions("id");
    }

    private static double[] flatFeatures(List<Row> rows) {
        double[] flat = new double[rows.size() * INPUTS];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(((Vector) rows.get(i).getAs("features")).toArray(), 0, flat, i * INPUTS, INPUTS);
        }
        return flat;
    }

    private static Model model(String layers, Loss loss) {
        Network network = Network.parse(layers, INPUTS, loss);
        return new Model(network, Initializer.initialize(network, 11),
                new Standardization(new double[] {0.1, -0.2, 0.3, 0.0}, new double[] {0.5, 1.5, 2.0, 0.8}));
    }

    private static double[] vector(Row row, String column) {
        return ((DenseVector) row.getAs(column)).values();
    }

    @Test
    void aMulticlassModelAppendsLogitsProbabilitiesAndClassesKeepingEveryColumn() {
        Model model = model("tanh(5)|softmax(3)", Loss.CATEGORICAL_CROSS_ENTROPY);
        Dataset<Row> input = data().withMetadata("features",
                new AttributeGroup("features", INPUTS).toStructField().metadata());
        Dataset<Row> scored = new Scorer(model, 4).transform(input, "features", Scorer.Columns.DEFAULT);
        assertEquals(List.of("id", "features", "name", "rawPrediction", "probability", "prediction"),
                Arrays.asList(scored.columns()));
        assertEquals(INPUTS, AttributeGroup.fromStructField(scored.schema().apply("features")).size(),
                "the input's attributes are kept");
        NominalAttribute classes = (NominalAttribute) NominalAttribute.fromStructField(scored.schema().apply("prediction"));
        assertEquals(3, classes.getNumValues().get());
        assertEquals(3, AttributeGroup.fromStructField(scored.schema().apply("probability")).size());
        assertEquals(3, AttributeGroup.fromStructField(scored.schema().apply("rawPrediction")).size());

        List<Row> expectedInput = input.collectAsList();
        List<Row> rows = scored.collectAsList();
        assertEquals(ROWS, rows.size());
        double[] expected = model.predict(flatFeatures(expectedInput), ROWS);
        for (int i = 0; i < ROWS; i++) {
            Row row = rows.get(i);
            for (int c = 0; c < 3; c++) {
                assertEquals(expectedInput.get(i).get(c), row.get(c), "input column " + c + " of row " + i);
            }
            double[] p = vector(row, "probability");
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
            assertArrayEquals(Arrays.copyOfRange(expected, 3 * i, 3 * i + 3), p, 1e-15, "row " + i);
            assertArrayEquals(p, softmax(vector(row, "rawPrediction")), 1e-12, "softmax of the logits, row " + i);
            assertEquals(argMax(p), row.getDouble(5), "row " + i);
        }
    }

    @Test
    void thresholdsDivideTheProbabilitiesAsSparkDoes() {
        Model model = model("tanh(5)|softmax(3)", Loss.CATEGORICAL_CROSS_ENTROPY);
        Scorer scorer = new Scorer(model, 8);
        double[] t = {0.5, 0.2, 0.3};
        List<Row> rows = scorer.transform(data(), "features", Scorer.Columns.DEFAULT.withThresholds(t)).collectAsList();
        int changed = 0;
        for (Row row : rows) {
            double[] p = vector(row, "probability");
            double[] scaled = {p[0] / t[0], p[1] / t[1], p[2] / t[2]};
            assertEquals(argMax(scaled), row.getDouble(5));
            changed += argMax(scaled) != argMax(p) ? 1 : 0;
        }
        assertTrue(changed > 0, "the thresholds change some predictions");
        List<Row> zero = scorer.transform(data(), "features", Scorer.Columns.DEFAULT.withThresholds(
                new double[] {1, 0, 1})).collectAsList();
        assertTrue(zero.stream().allMatch(row -> row.getDouble(5) == 1.0), "a zero threshold always wins");
    }

    @Test
    void aSingleSigmoidIsABinaryClassifierAsSparkShowsOne() {
        Model model = model("tanh(5)|sigmoid(1)", Loss.BINARY_CROSS_ENTROPY);
        Dataset<Row> input = data();
        Dataset<Row> scored = new Scorer(model, 5).transform(input, "features", Scorer.Columns.DEFAULT);
        assertEquals(2, ((NominalAttribute) NominalAttribute.fromStructField(scored.schema().apply("prediction")))
                .getNumValues().get());
        List<Row> rows = scored.collectAsList();
        double[] expected = model.predict(flatFeatures(input.collectAsList()), ROWS);
        int ones = 0;
        for (int i = 0; i < ROWS; i++) {
            Row row = rows.get(i);
            double p = expected[i];
            double[] raw = vector(row, "rawPrediction");
            assertEquals(-raw[0], raw[1]);
            assertEquals(p, 1 / (1 + Math.exp(-raw[1])), 1e-12, "the logit of row " + i);
            assertArrayEquals(new double[] {1 - p, p}, vector(row, "probability"), 1e-15);
            assertEquals(p >= 0.5 ? 1.0 : 0.0, row.getDouble(5));
            ones += p >= 0.5 ? 1 : 0;
        }
        assertTrue(ones > 0 && ones < ROWS, "both classes predicted: " + ones);

        List<Row> always0 = new Scorer(model, 5).transform(input, "features",
                new Scorer.Columns(null, null, "p", new double[] {0, 1})).collectAsList();
        assertTrue(always0.stream().allMatch(row -> row.getDouble(3) == 0.0), "Spark's rule on [1 - p, p]");
    }

    @Test
    void severalSigmoidsAreLabelsPredictedAsAnArrayOfIndices() {
        Model model = model("tanh(5)|sigmoid(3)", Loss.BINARY_CROSS_ENTROPY);
        Dataset<Row> input = data();
        Dataset<Row> scored = new Scorer(model, 4).transform(input, "features", Scorer.Columns.DEFAULT);
        // The type MultilabelClassificationEvaluator reads.
        assertEquals(DataTypes.createArrayType(DataTypes.DoubleType, false), scored.schema().apply("prediction")
                .dataType());
        List<Row> rows = scored.collectAsList();
        double[] expected = model.predict(flatFeatures(input.collectAsList()), ROWS);
        for (int i = 0; i < ROWS; i++) {
            Row row = rows.get(i);
            double[] p = vector(row, "probability");
            assertArrayEquals(Arrays.copyOfRange(expected, 3 * i, 3 * i + 3), p, 1e-15);
            double[] raw = vector(row, "rawPrediction");
            List<Double> labels = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                assertEquals(p[k], 1 / (1 + Math.exp(-raw[k])), 1e-12);
                if (p[k] >= 0.5) {
                    labels.add((double) k);
                }
            }
            assertEquals(labels, row.getList(5), "row " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> new Scorer(model, 4).transformSchema(input.schema(),
                "features", Scorer.Columns.DEFAULT.withThresholds(new double[] {1, 1, 1})));
    }

    @Test
    void aRegressionAppendsItsPredictionOnly() {
        Model one = model("tanh(5)|identity(1)", Loss.SQUARED_ERROR);
        Dataset<Row> input = data();
        double[] x = flatFeatures(input.collectAsList());
        Dataset<Row> scored = new Scorer(one, 4).transform(input, "features", Scorer.Columns.DEFAULT);
        assertEquals(List.of("id", "features", "name", "prediction"), Arrays.asList(scored.columns()));
        assertEquals(DataTypes.DoubleType, scored.schema().apply("prediction").dataType());
        double[] expected = one.predict(x, ROWS);
        List<Row> rows = scored.collectAsList();
        for (int i = 0; i < ROWS; i++) {
            assertEquals(expected[i], rows.get(i).getDouble(3), 1e-15);
        }

        Model two = model("tanh(5)|identity(2)", Loss.SQUARED_ERROR);
        Dataset<Row> vectors = new Scorer(two, 4).transform(input, "features",
                new Scorer.Columns(null, null, "y", null));
        assertEquals(2, AttributeGroup.fromStructField(vectors.schema().apply("y")).size());
        expected = two.predict(x, ROWS);
        rows = vectors.collectAsList();
        for (int i = 0; i < ROWS; i++) {
            assertArrayEquals(Arrays.copyOfRange(expected, 2 * i, 2 * i + 2), vector(rows.get(i), "y"), 1e-15);
        }
    }

    @Test
    void aStreamingQueryIsScoredMicroBatchByMicroBatch() throws TimeoutException {
        SparkSession spark = LocalSpark.session();
        Model model = model("tanh(5)|softmax(3)", Loss.CATEGORICAL_CROSS_ENTROPY);
        MemoryStream<Row> source = MemoryStream.apply(Encoders.row(SCHEMA), spark);
        Dataset<Row> stream = source.toDF();
        Dataset<Row> scored = new Scorer(model, 4).transform(stream, "features", Scorer.Columns.DEFAULT);
        assertTrue(scored.isStreaming());
        // foreachBatch, not the memory sink: Spark's memory sink sends a class the tests' Kryo has not registered.
        List<Row> written = new CopyOnWriteArrayList<>();
        StreamingQuery query = scored.writeStream().queryName("scorer_test")
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> written.addAll(batch.collectAsList()))
                .start();
        try {
            List<Row> first = new ArrayList<>();
            List<Row> second = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                (r < 10 ? first : second).add(RowFactory.create((long) r, features(r), "row " + r));
            }
            source.addData(scala.jdk.javaapi.CollectionConverters.asScala(first).toSeq());
            query.processAllAvailable();
            assertEquals(10, written.size(), "the first micro-batch");
            source.addData(scala.jdk.javaapi.CollectionConverters.asScala(second).toSeq());
            query.processAllAvailable();
            List<Row> rows = written.stream().sorted(Comparator.comparingLong(row -> row.getLong(0))).toList();
            assertEquals(ROWS, rows.size());
            double[] expected = model.predict(flatFeatures(rows), ROWS);
            for (int i = 0; i < ROWS; i++) {
                assertEquals("row " + i, rows.get(i).getString(2));
                assertArrayEquals(Arrays.copyOfRange(expected, 3 * i, 3 * i + 3), vector(rows.get(i), "probability"),
                        1e-15);
            }
        } finally {
            query.stop();
        }
    }

    @Test
    void aBadSchemaIsRefusedNamingTheColumn() {
        Scorer scorer = new Scorer(model("tanh(5)|softmax(3)", Loss.CATEGORICAL_CROSS_ENTROPY), 4);
        StructType schema = SCHEMA;
        assertMessage("no features column 'x' in the data; its columns are id (bigint), features (vector), "
                + "name (string)", () -> scorer.transformSchema(schema, "x", Scorer.Columns.DEFAULT));
        assertMessage("features column 'name' has type string; expected a vector (org.apache.spark.ml.linalg.Vector, "
                + "e.g. from VectorAssembler); the data's columns are id (bigint), features (vector), name (string)",
                () -> scorer.transformSchema(schema, "name", Scorer.Columns.DEFAULT));
        assertMessage("output column 'name' already exists in the data (its columns are id (bigint), features "
                + "(vector), name (string)); choose another name or drop that column",
                () -> scorer.transform(data(), "features", new Scorer.Columns(null, "name", null, null)));
        assertMessage("output column 'NAME' already exists in the data (its columns are id (bigint), features "
                + "(vector), name (string)); choose another name or drop that column",
                () -> scorer.transformSchema(schema, "features", new Scorer.Columns(null, null, "NAME", null)));
        assertMessage("two output columns are both named 'p'",
                () -> scorer.transformSchema(schema, "features", new Scorer.Columns("p", "p", null, null)));
        StructType wide = schema.add(new AttributeGroup("wide", 5).toStructField());
        assertMessage("features column 'wide' holds vectors of 5 values (by its attributes); the model expects 4",
                () -> scorer.transformSchema(wide, "wide", Scorer.Columns.DEFAULT));
        assertMessage("thresholds have 2 values; the model has 3 classes", () -> scorer.transformSchema(schema,
                "features", Scorer.Columns.DEFAULT.withThresholds(new double[] {1, 1})));
        assertMessage("at most one threshold may be 0, got [0.0, 0.0, 1.0]",
                () -> Scorer.Columns.DEFAULT.withThresholds(new double[] {0, 0, 1}));
        assertMessage("thresholds must be finite and non-negative, got [1.0, -1.0, 1.0]",
                () -> Scorer.Columns.DEFAULT.withThresholds(new double[] {1, -1, 1}));
    }

    @Test
    void aMissingOrNonFiniteFeatureFailsTheJobNamingTheRow() {
        Scorer scorer = new Scorer(model("tanh(5)|softmax(3)", Loss.CATEGORICAL_CROSS_ENTROPY), 2);
        SparkSession spark = LocalSpark.session();
        List<Row> missing = List.of(RowFactory.create(0L, features(0), "a"), RowFactory.create(1L, features(1), "b"),
                RowFactory.create(2L, null, "c"));
        assertDataError("column 'features', row 3 of partition 0: features are missing",
                spark.createDataFrame(missing, SCHEMA).coalesce(1), scorer);
        List<Row> nan = List.of(RowFactory.create(0L, Vectors.dense(1, Double.NaN, 0, 0), "a"));
        assertDataError("column 'features', row 1 of partition 0: feature 1 is NaN; expected a finite number",
                spark.createDataFrame(nan, SCHEMA).coalesce(1), scorer);
    }

    private static void assertDataError(String message, Dataset<Row> data, Scorer scorer) {
        Dataset<Row> scored = scorer.transform(data, "features", Scorer.Columns.DEFAULT);
        Exception failure = assertThrows(Exception.class, scored::collectAsList);
        InvalidDataException error = DataErrors.find(failure);
        assertEquals(message, error == null ? failure.toString() : error.getMessage());
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    private static double[] softmax(double[] z) {
        double max = Arrays.stream(z).max().orElseThrow();
        double[] e = Arrays.stream(z).map(v -> Math.exp(v - max)).toArray();
        double sum = Arrays.stream(e).sum();
        return Arrays.stream(e).map(v -> v / sum).toArray();
    }

    private static double argMax(double[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }
}
