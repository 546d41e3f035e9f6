package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.RegressionMetrics;
import io.sparkprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MLPRegressorTest {
    @TempDir
    Path dir;

    /** Spark ML's writers and readers use the active session; start it before any of them. */
    @BeforeAll
    static void startSpark() {
        LocalSpark.session();
    }

    /** Petal width from the other three measurements. */
    private static Dataset<Row> petalWidth() {
        return new VectorAssembler().setInputCols(new String[] {"sepal_length", "sepal_width", "petal_length"})
                .setOutputCol("features").transform(Iris.raw()).withColumnRenamed("petal_width", "label");
    }

    private static MLPRegressor regressor() {
        return new MLPRegressor().setHiddenLayers(new int[] {8}).setActivation("tanh").setOptimizer("adam")
                .setStepSize(0.02).setMaxIter(200).setStandardize(true);
    }

    @Test
    void fitsWithRegressionEvaluatorAndKeepsColumns() throws Exception {
        Dataset<Row> data = petalWidth();
        MLPRegressionModel model = regressor().fit(data);
        assertEquals(Activation.IDENTITY, model.engineModel().network().output().activation());
        Dataset<Row> predicted = model.transform(data);
        assertTrue(List.of(predicted.columns()).containsAll(List.of(data.columns())));
        double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(predicted);
        assertTrue(rmse < 0.3, "RMSE " + rmse);
        RegressionMetrics metrics = (RegressionMetrics) model.evaluate(data);
        assertEquals(rmse, metrics.rmse(), 1e-9);

        Vector first = data.first().getAs("features");
        assertEquals(predicted.first().<Double>getAs("prediction"), model.predict(first), 1e-12);

        String path = dir.resolve("regressor").toString();
        model.save(path);
        MLPRegressionModel loaded = MLPRegressionModel.load(path);
        assertEquals(predicted.select("prediction").collectAsList(),
                loaded.transform(data).select("prediction").collectAsList());
    }

    @Test
    void vectorLabelIsMultiOutputRegression() {
        Dataset<Row> data = new VectorAssembler().setInputCols(new String[] {"petal_length", "petal_width"})
                .setOutputCol("label").transform(new VectorAssembler()
                        .setInputCols(new String[] {"sepal_length", "sepal_width"}).setOutputCol("features")
                        .transform(Iris.raw()));
        MLPRegressor mlp = regressor().setMaxIter(100);
        assertEquals(SQLDataTypes.VectorType(), mlp.transformSchema(data.schema()).apply("prediction").dataType());
        MLPRegressionModel model = mlp.fit(data);
        assertEquals(2, model.numOutputs());
        Row row = model.transform(data).first();
        Vector prediction = row.getAs("prediction");
        assertArrayEquals(model.predictVector(row.getAs("features")).toArray(), prediction.toArray(), 1e-12);
        assertThrows(IllegalStateException.class, () -> model.predict(row.getAs("features")));
    }

    @Test
    void validationIndicatorAndEarlyStopping() {
        Dataset<Row> data = petalWidth().withColumn("isVal",
                org.apache.spark.sql.functions.expr("sepal_length * 10 % 5 = 0"));
        MLPRegressionModel model = regressor().setValidationIndicatorCol("isVal").setEarlyStoppingPatience(5)
                .setMaxIter(400).fit(data);
        MLPTrainingSummary summary = model.summary();
        assertEquals(summary.totalIterations(), summary.validationLossHistory().length);
        assertTrue(summary.validationMetrics().isPresent());
        long validationRows = data.filter("isVal").count();
        assertEquals(150 - validationRows, summary.rows());
        assertEquals(validationRows, summary.validationMetrics().get().count());

        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> regressor().setValidationIndicatorCol("isVal").setValidationFraction(0.2).fit(data));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
    }

    @Test
    void tolStopsTrainingOnceTheLossSettles() {
        Dataset<Row> data = petalWidth();
        MLPTrainingSummary all = regressor().setMaxIter(60).fit(data).summary();
        assertEquals(60, all.totalIterations(), "tol = 0 trains every epoch");
        double[] losses = all.objectiveHistory();
        double tol = 0.02;
        int expected = 1;
        while (expected < losses.length && losses[expected - 1] - losses[expected] >= tol * Math.abs(losses[expected - 1])) {
            expected++;
        }
        assertTrue(expected < 60, "the loss settles within 60 epochs");
        MLPTrainingSummary stopped = regressor().setMaxIter(60).setTol(tol).fit(data).summary();
        assertEquals(expected + 1, stopped.totalIterations(), "stops after the first epoch that improves by less than tol");
        assertArrayEquals(java.util.Arrays.copyOf(losses, expected + 1), stopped.objectiveHistory());
    }

    @Test
    void vectorLabelParquetFile() {
        Dataset<Row> data = new VectorAssembler().setInputCols(new String[] {"petal_length", "petal_width"})
                .setOutputCol("label").transform(new VectorAssembler()
                        .setInputCols(new String[] {"sepal_length", "sepal_width"}).setOutputCol("features")
                        .transform(Iris.raw())).select("features", "label");
        String path = dir.resolve("vector-label.parquet").toString();
        data.write().parquet(path);
        Dataset<Row> read = io.sparkprop.spark.LocalSpark.session().read().parquet(path);
        MLPRegressionModel model = regressor().setMaxIter(20).fit(read);
        assertEquals(2, model.numOutputs());
        assertEquals(150, model.transform(read).count());
    }
}
