package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.sparkprop.engine.Precision;
import io.sparkprop.io.ModelStoreException;
import io.sparkprop.onnx.OnnxRun;
import io.sparkprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model.exportOnnx(path)} on models fresh from {@code fit}: ONNX Runtime's outputs on 1,000
 * rows equal what {@code transform} appends (probability and prediction, or prediction), within
 * 1e-5 in float32 and 1e-12 in float64; the class labels StringIndexer gave travel in the metadata,
 * also through save and load.
 */
class MLPOnnxExportTest {
    private static final int ROWS = 1_000;
    private static final String[] SPECIES = {"cat", "dog", "bird", "fish"};

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        LocalSpark.session();
    }

    /** 1,000 rows of 6 features and a string class that depends on them. */
    private static Dataset<Row> animals() {
        Random random = new Random(3);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            double[] x = new double[6];
            for (int j = 0; j < 6; j++) {
                x[j] = 10 * j + random.nextGaussian() * (j + 1);
            }
            int k = (int) Math.floorMod(Math.round(x[0] + x[1] / 2 - x[2] / 3), SPECIES.length);
            rows.add(RowFactory.create(Vectors.dense(x), SPECIES[k], Vectors.dense(x[0] > 0 ? 1 : 0,
                    x[1] > 10 ? 1 : 0, x[3] > 30 ? 1 : 0), x[0] * x[1] / 10 + x[2]));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("species",
                DataTypes.StringType).add("tags", SQLDataTypes.VectorType()).add("size",
                DataTypes.DoubleType);
        return LocalSpark.session().createDataFrame(rows, schema);
    }

    private static MLPClassifier classifier() {
        return new MLPClassifier().setHiddenLayers(new int[] {12, 6}).setActivation("tanh").setOptimizer("adam")
                .setStepSize(0.02).setMaxIter(10).setStandardize(true).setSeed(5);
    }

    @Test
    void aMulticlassModelServesTransformsProbabilitiesAndPredictionsWithItsLabels() throws Exception {
        StringIndexerModel indexer = new StringIndexer().setInputCol("species").setOutputCol("label").fit(animals());
        Dataset<Row> data = indexer.transform(animals());
        MLPClassificationModel model = classifier().fit(data);
        List<Row> scored = model.transform(data).select("features", "probability", "prediction").collectAsList();
        for (Precision precision : Precision.values()) {
            Path onnx = dir.resolve("animals-" + precision.id() + ".onnx");
            model.exportOnnx(onnx.toString(), precision);
            try (OnnxRun session = OnnxRun.of(onnx)) {
                for (int rows : new int[] {ROWS, 1}) {
                    OnnxRun.Outputs out = run(session, scored.subList(0, rows), precision);
                    compare(scored.subList(0, rows), "probability", out.values(), precision);
                    for (int r = 0; r < rows; r++) {
                        assertEquals((long) scored.get(r).getDouble(2), out.labels()[r], "row " + r);
                    }
                }
                Map<String, String> meta = session.session().getMetadata().getCustomMetadata();
                assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(indexer.labelsArray()[0]),
                        meta.get("labels"));
                assertTrue(meta.get("training").contains("\"hiddenLayers\":[12,6]"), meta.get("training"));
                assertTrue(meta.get("training").contains("\"optimizer\":\"adam\""), meta.get("training"));
            }
        }

        Path saved = dir.resolve("saved");
        model.write().save(saved.toString());
        assertEquals(List.of(indexer.labelsArray()[0]), MLPClassificationModel.load(saved.toString()).engineModel()
                .labels().orElseThrow());
        assertThrows(ModelStoreException.class, () -> model.exportOnnx(dir.resolve("animals-float32.onnx").toString()),
                "an existing file is refused");
    }

    @Test
    void aBinaryModelsLabelFollowsItsThresholds() throws Exception {
        Dataset<Row> pets = animals().where("species in ('cat', 'dog')");
        Dataset<Row> data = new StringIndexer().setInputCol("species").setOutputCol("label").fit(pets).transform(pets);
        MLPClassificationModel model = classifier().fit(data);
        for (double[] thresholds : new double[][] {null, {0.7, 0.3}, {0.2, 0.8}}) {
            if (thresholds != null) {
                model.setThresholds(thresholds);
            }
            List<Row> scored = model.transform(data).select("features", "probability", "prediction").collectAsList();
            Path onnx = dir.resolve("binary-" + java.util.Arrays.toString(thresholds) + ".onnx");
            model.exportOnnx(onnx.toString(), Precision.FLOAT64);
            try (OnnxRun session = OnnxRun.of(onnx)) {
                OnnxRun.Outputs out = run(session, scored, Precision.FLOAT64);
                compare(scored, "probability", out.values(), Precision.FLOAT64);
                for (int r = 0; r < scored.size(); r++) {
                    assertEquals((long) scored.get(r).getDouble(2), out.labels()[r], "row " + r);
                }
            }
        }
    }

    @Test
    void aMultilabelModelsLabelsAreThePredictedSet() throws Exception {
        Dataset<Row> data = animals().withColumnRenamed("tags", "label");
        MLPClassificationModel model = classifier().fit(data);
        assertTrue(model.isMultilabel());
        List<Row> scored = model.transform(data).select("features", "probability", "prediction").collectAsList();
        Path onnx = dir.resolve("tags.onnx");
        model.exportOnnx(onnx.toString());
        try (OnnxRun session = OnnxRun.of(onnx)) {
            OnnxRun.Outputs out = run(session, scored, Precision.FLOAT32);
            compare(scored, "probability", out.values(), Precision.FLOAT32);
            for (int r = 0; r < scored.size(); r++) {
                List<Double> predicted = scored.get(r).getList(2);
                for (int k = 0; k < 3; k++) {
                    assertEquals(predicted.contains((double) k) ? 1 : 0, out.labels()[3 * r + k], "row " + r);
                }
            }
        }
    }

    @Test
    void aRegressionModelServesTransformsPredictions() throws Exception {
        Dataset<Row> data = animals().withColumnRenamed("size", "label");
        MLPRegressionModel model = new MLPRegressor().setHiddenLayers(new int[] {8}).setActivation("relu")
                .setOptimizer("adam").setStepSize(0.01).setMaxIter(10).setStandardize(true).fit(data);
        List<Row> scored = model.transform(data).select("features", "prediction").collectAsList();
        for (Precision precision : Precision.values()) {
            Path onnx = dir.resolve("size-" + precision.id() + ".onnx");
            model.exportOnnx(onnx.toString(), precision);
            try (OnnxRun session = OnnxRun.of(onnx)) {
                compare(scored, "prediction", run(session, scored, precision).values(), precision);
                assertEquals("regression", session.session().getMetadata().getCustomMetadata().get("task"));
            }
        }
    }

    /** ONNX Runtime on the rows' features, as float32 or float64. */
    private static OnnxRun.Outputs run(OnnxRun session, List<Row> rows, Precision precision) throws OrtException {
        int width = ((Vector) rows.get(0).get(0)).size();
        double[] x = new double[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(((Vector) rows.get(r).get(0)).toArray(), 0, x, r * width, width);
        }
        return session.score(x, rows.size(), width, precision);
    }

    /**
     * ONNX's values against the column transform appended (a vector, or a double). The features of
     * a float32 run are rounded to float32 on the way in, which moves these features' outputs by
     * well under 1e-5 for these models; float64 sees the same inputs as transform.
     */
    private static void compare(List<Row> rows, String column, double[] onnx, Precision precision) {
        double tolerance = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
        int i = 0;
        double worst = 0;
        for (Row row : rows) {
            Object value = row.getAs(column);
            double[] expected = value instanceof Vector v ? v.toArray() : new double[] {(Double) value};
            for (double e : expected) {
                worst = Math.max(worst, Math.abs(e - onnx[i++]));
            }
        }
        assertEquals(onnx.length, i);
        assertTrue(worst <= tolerance, column + ": max |onnx - transform| = " + worst + " > " + tolerance);
    }

    @Test
    void theCliExportsAModelSavedThroughSparkMlWithItsLabels() throws Exception {
        StringIndexerModel indexer = new StringIndexer().setInputCol("species").setOutputCol("label").fit(animals());
        MLPClassificationModel model = classifier().setMaxIter(2).fit(indexer.transform(animals()));
        Path saved = dir.resolve("spark-ml-model");
        model.write().save(saved.toString());
        Path onnx = dir.resolve("from-cli.onnx");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = io.sparkprop.cli.SparkpropCli.execute(new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true), "export", "--model", saved.toString(), "--output", onnx.toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("(opset 17, float32, labels " + String.join(", ", indexer.labelsArray()[0])
                + ")"), out.toString());
        try (OnnxRun session = OnnxRun.of(onnx)) {
            assertArrayEquals(new String[] {"probabilities", "label"}, session.session().getOutputNames().toArray());
            assertTrue(session.session().getMetadata().getCustomMetadata().get("labels").contains("\"" + indexer.labelsArray()[0][0]
                    + "\""));
        }
    }
}
