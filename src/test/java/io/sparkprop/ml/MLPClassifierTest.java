package io.sparkprop.ml;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.ClassificationMetrics;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.io.ModelStore;
import io.sparkprop.optim.Lamb;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.UpdateRule;
import io.sparkprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MLPClassifierTest {
    @TempDir
    Path dir;

    /** Spark ML's writers and readers use the active session; start it before any of them. */
    @BeforeAll
    static void startSpark() {
        LocalSpark.session();
    }

    private static MLPClassifier classifier() {
        return new MLPClassifier().setHiddenLayers(new int[] {8}).setActivation("tanh").setOptimizer("adam")
                .setStepSize(0.05).setMaxIter(150).setStandardize(true);
    }

    /**
     * Sparse feature vectors (cached as CSR blocks, standardised with the centring folded into the
     * first layer) train the weights their dense copies train, and score alike.
     */
    @Test
    void sparseFeaturesTrainAndScoreAsTheirDenseCopies() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        List<Row> rows = new java.util.ArrayList<>();
        for (int r = 0; r < 120; r++) {
            int label = random.nextInt(3);
            int first = 1 + random.nextInt(10);
            int[] indices = {first, first + 1 + random.nextInt(10), 25 + label * 4 + random.nextInt(4)};
            double[] values = {random.nextDouble(), random.nextDouble(), 1.0 + random.nextDouble()};
            rows.add(org.apache.spark.sql.RowFactory.create(org.apache.spark.ml.linalg.Vectors.sparse(40, indices,
                    values), (double) label));
        }
        Dataset<Row> sparse = LocalSpark.session().createDataFrame(rows, io.sparkprop.io.DataLoader.SCHEMA);
        Dataset<Row> dense = sparse.map((org.apache.spark.api.java.function.MapFunction<Row, Row>) row ->
                org.apache.spark.sql.RowFactory.create(((Vector) row.get(0)).toDense(), row.get(1)),
                org.apache.spark.sql.Encoders.row(io.sparkprop.io.DataLoader.SCHEMA));
        MLPClassifier mlp = new MLPClassifier().setHiddenLayers(new int[] {6}).setActivation("tanh")
                .setOptimizer("adam").setStepSize(0.05).setMaxIter(5).setStandardize(true);
        MLPClassificationModel fromSparse = mlp.fit(sparse);
        MLPClassificationModel fromDense = mlp.fit(dense);
        double[] expected = fromDense.engineModel().parameters();
        double[] actual = fromSparse.engineModel().parameters();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-10 * Math.max(Math.abs(expected[i]), Math.abs(actual[i])),
                    "weight " + i);
        }
        List<Row> sparseScores = fromSparse.transform(sparse).select("probability").collectAsList();
        List<Row> denseScores = fromSparse.transform(dense).select("probability").collectAsList();
        for (int r = 0; r < rows.size(); r++) {
            assertArrayEquals(((Vector) denseScores.get(r).get(0)).toArray(),
                    ((Vector) sparseScores.get(r).get(0)).toArray(), 1e-12, "row " + r);
        }
    }

    @Test
    void pipelineFitsTransformsSavesAndLoadsAndPredictsIdentically() throws Exception {
        Dataset<Row> iris = Iris.raw();
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new StringIndexer().setInputCol("species").setOutputCol("label"),
            new VectorAssembler().setInputCols(Iris.MEASUREMENTS).setOutputCol("features"),
            classifier()});
        PipelineModel fitted = pipeline.fit(iris);
        Dataset<Row> predicted = fitted.transform(iris);

        for (String column : iris.columns()) {
            assertTrue(List.of(predicted.columns()).contains(column), column + " kept");
        }
        List<Row> rows = predicted.select("species", "probability", "rawPrediction", "prediction", "label").collectAsList();
        assertEquals(150, rows.size());
        for (Row row : rows) {
            Vector p = row.getAs("probability");
            assertEquals(3, p.size());
            assertEquals(1.0, p.toArray()[0] + p.toArray()[1] + p.toArray()[2], 1e-12);
            assertEquals(p.argmax(), (int) row.getDouble(3));
        }
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
        assertTrue(accuracy > 0.95, "training accuracy " + accuracy);

        MLPClassificationModel model = (MLPClassificationModel) fitted.stages()[2];
        assertEquals(3, model.numClasses());
        assertEquals(4, model.numFeatures());
        assertEquals(150, model.summary().objectiveHistory().length);
        assertTrue(model.summary().objectiveHistory()[149] < model.summary().objectiveHistory()[0]);

        String path = dir.resolve("pipeline").toString();
        fitted.save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> again = loaded.transform(iris).select("species", "probability", "rawPrediction", "prediction", "label")
                .collectAsList();
        assertEquals(rows, again, "the loaded pipeline predicts identically");
        MLPClassificationModel reloaded = (MLPClassificationModel) loaded.stages()[2];
        assertEquals(model.getStepSize(), reloaded.getStepSize());
        assertArrayEquals(model.getHiddenLayers(), reloaded.getHiddenLayers());
        assertFalse(reloaded.hasSummary());
    }

    @Test
    void modelDirectoryInsideSparkLayoutIsTheSparkpropModel() throws Exception {
        MLPClassificationModel model = classifier().setMaxIter(5).fit(Iris.assembled());
        String path = dir.resolve("model").toString();
        model.save(path);
        assertTrue(Files.isRegularFile(dir.resolve("model/data/metadata.json")));
        assertTrue(Files.isRegularFile(dir.resolve("model/data/weights.bin")));
        assertTrue(Files.isDirectory(dir.resolve("model/metadata")));
        Model stored = new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration()).load(path);
        assertArrayEquals(model.engineModel().parameters(), stored.parameters());
        assertEquals(model.engineModel().network(), stored.network());

        MLPClassificationModel loaded = MLPClassificationModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertArrayEquals(model.engineModel().parameters(), loaded.engineModel().parameters());

        // Saving again without overwrite is refused; with it the model (ours) is replaced.
        assertThrows(RuntimeException.class, () -> model.save(path));
        model.write().overwrite().save(path);
        assertArrayEquals(model.engineModel().parameters(), MLPClassificationModel.load(path).engineModel().parameters());
    }

    @Test
    void overwriteNeverReplacesWhatItDidNotWrite() throws Exception {
        MLPClassificationModel model = classifier().setMaxIter(2).fit(Iris.assembled());
        Path precious = dir.resolve("precious");
        Files.createDirectories(precious);
        Files.writeString(precious.resolve("notes.txt"), "keep me");
        RuntimeException refused = assertThrows(RuntimeException.class,
                () -> model.write().overwrite().save(precious.toString()));
        assertTrue(refused.getMessage().contains("notes.txt"), refused.getMessage());
        assertEquals("keep me", Files.readString(precious.resolve("notes.txt")));
    }

    @Test
    void crossValidatorOverTwoStepSizesWithParallelism() {
        MLPClassifier mlp = classifier().setMaxIter(40);
        CrossValidator cv = new CrossValidator().setEstimator(mlp)
                .setEstimatorParamMaps(new ParamGridBuilder().addGrid(mlp.stepSize(), new double[] {0.001, 0.05}).build())
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .setNumFolds(2).setParallelism(2).setSeed(7);
        CrossValidatorModel fitted = cv.fit(Iris.assembled());
        double[] metrics = fitted.avgMetrics();
        assertEquals(2, metrics.length);
        assertTrue(metrics[1] > metrics[0], "a step of 0.05 learns more in 40 epochs than 0.001: "
                + java.util.Arrays.toString(metrics));
        assertEquals(0.05, ((MLPClassificationModel) fitted.bestModel()).getStepSize());
    }

    @Test
    void twoClassesGetOneSigmoidUnitAndWorkWithBinaryEvaluator() {
        Dataset<Row> data = Iris.raw().filter(col("species").notEqual("Iris-setosa"));
        Dataset<Row> assembled = new VectorAssembler().setInputCols(Iris.MEASUREMENTS).setOutputCol("features")
                .transform(new StringIndexer().setInputCol("species").setOutputCol("label").fit(data).transform(data));
        MLPClassificationModel model = classifier().setMaxIter(200).fit(assembled);
        assertEquals(2, model.numClasses());
        assertEquals(1, model.engineModel().network().outputSize());
        assertEquals(Activation.SIGMOID, model.engineModel().network().output().activation());
        assertEquals(Loss.BINARY_CROSS_ENTROPY, model.engineModel().network().loss());

        Dataset<Row> predicted = model.transform(assembled);
        for (Row row : predicted.select("rawPrediction", "probability").collectAsList()) {
            Vector raw = row.getAs(0);
            Vector p = row.getAs(1);
            assertEquals(-raw.apply(0), raw.apply(1), 0.0);
            assertEquals(1 / (1 + Math.exp(-raw.apply(1))), p.apply(1), 1e-12);
            assertEquals(1.0, p.apply(0) + p.apply(1), 1e-12);
        }
        double auc = new BinaryClassificationEvaluator().evaluate(predicted);
        assertTrue(auc > 0.95, "AUC " + auc);
        Vector one = assembled.first().getAs("features");
        assertEquals(model.predictProbability(one).apply(1), predicted.first().<Vector>getAs("probability").apply(1), 1e-12);
    }

    @Test
    void weightedFullBatchFitEqualsDuplicatedRows() {
        Dataset<Row> data = Iris.assembled().withColumn("w", col("sepal_width").cast(DataTypes.IntegerType))
                .repartition(1);
        List<Row> rows = data.collectAsList();
        List<Row> duplicated = new java.util.ArrayList<>();
        for (Row row : rows) {
            for (int k = 0; k < row.<Integer>getAs("w"); k++) {
                duplicated.add(row);
            }
        }
        Dataset<Row> repeated = LocalSpark.session().createDataFrame(duplicated, data.schema()).repartition(1);
        MLPClassifier mlp = new MLPClassifier().setHiddenLayers(new int[] {5}).setStepSize(0.5).setMaxIter(30);
        MLPClassificationModel weightedModel = mlp.copy(ParamMap.empty()).setWeightCol("w").fit(data);
        double[] weighted = weightedModel.engineModel().parameters();
        double[] plain = mlp.fit(repeated).engineModel().parameters();
        assertArrayEquals(plain, weighted, 1e-10);
        // evaluate weighs rows by weightCol too; without it each row counts once.
        MLPClassificationModel unweighting = weightedModel.copy(ParamMap.empty().put(weightedModel.weightCol(), ""));
        assertEquals(unweighting.evaluate(repeated).meanLoss(), weightedModel.evaluate(data).meanLoss(), 1e-12);
        assertEquals(repeated.count(), (long) weightedModel.evaluate(data).weight());
        double[] unweighted = mlp.fit(data).engineModel().parameters();
        assertTrue(Math.abs(unweighted[0] - weighted[0]) > 1e-6, "the weights change the result");
    }

    @Test
    void integerLabelsAndEvaluate() {
        Dataset<Row> data = Iris.assembled().withColumn("label", col("label").cast(DataTypes.IntegerType));
        MLPClassificationModel model = classifier().setMaxIter(100).fit(data);
        ClassificationMetrics metrics = (ClassificationMetrics) model.evaluate(data);
        assertEquals(150, metrics.count());
        assertTrue(metrics.accuracy() > 0.9, "accuracy " + metrics.accuracy());
    }

    @Test
    void paramsAreTypedValidatedAndExplained() {
        MLPClassifier mlp = new MLPClassifier();
        String explained = mlp.explainParams();
        for (String name : List.of("hiddenLayers", "activation", "optimizer", "stepSize", "maxIter", "batchSize", "seed",
                "blockSize", "tol", "standardize", "precision", "momentum", "beta1", "beta2", "epsilon", "weightDecay",
                "clipNorm", "lrSchedule", "warmupEpochs", "validationFraction", "validationIndicatorCol", "earlyStoppingPatience",
                "initialModel", "featuresCol", "labelCol", "weightCol", "predictionCol", "probabilityCol",
                "rawPredictionCol", "checkpointDir", "checkpointInterval", "syncMode")) {
            assertTrue(explained.contains(name + ":"), name + " in explainParams()");
        }
        assertThrows(IllegalArgumentException.class, () -> mlp.setStepSize(-1));
        assertThrows(IllegalArgumentException.class, () -> mlp.setOptimizer("sgd"));
        assertThrows(IllegalArgumentException.class, () -> mlp.setActivation("softmax"));
        assertThrows(IllegalArgumentException.class, () -> mlp.setHiddenLayers(new int[] {4, 0}));
        assertThrows(IllegalArgumentException.class, () -> mlp.setCheckpointInterval(0));
        assertThrows(IllegalArgumentException.class, () -> mlp.setSyncMode("allreduce"));
        assertEquals("auto", mlp.getSyncMode());
        assertEquals(10, mlp.getCheckpointInterval(), "Spark's default");
        assertEquals(0.3, mlp.setStepSize(0.3).getStepSize());
        assertEquals(mlp.stepSize(), mlp.getParam("stepSize"));
        MLPClassifier copy = mlp.copy(ParamMap.empty().put(mlp.maxIter(), 7));
        assertEquals(7, copy.getMaxIter());
        assertEquals(0.3, copy.getStepSize());
    }

    /** LAMB and the warm-up, from the Params to the update rule the fit uses, and through save and load. */
    @Test
    void lambAndAWarmUpGoFromTheParamsIntoTheUpdateRule() throws Exception {
        MLPClassifier mlp = classifier().setOptimizer("lamb").setBeta2(0.99).setEpsilon(1e-6).setWarmupEpochs(0.5)
                .setLrSchedule("cosine");
        UpdateRule expected = new UpdateRule(new Lamb(0.9, 0.99, 1e-6), new LearningRateSchedule.Cosine(0), 0, 0, 0.5);
        assertEquals(expected, MLPTraining.updateRule(mlp));
        assertEquals(0.0, new MLPClassifier().getWarmupEpochs(), "off by default, as on the command line");
        assertThrows(IllegalArgumentException.class, () -> mlp.setWarmupEpochs(-1));
        String path = dir.resolve("lamb").toString();
        mlp.save(path);
        MLPClassifier loaded = MLPClassifier.load(path);
        assertEquals("lamb", loaded.getOptimizer());
        assertEquals(0.5, loaded.getWarmupEpochs());
        assertEquals(expected, MLPTraining.updateRule(loaded));
    }

    @Test
    void estimatorSavesAndLoadsItsParams() throws Exception {
        MLPClassifier mlp = classifier().setBatchSize(32).setLrSchedule("cosine").setWeightCol("w");
        String path = dir.resolve("estimator").toString();
        mlp.save(path);
        MLPClassifier loaded = MLPClassifier.load(path);
        assertEquals(mlp.uid(), loaded.uid());
        assertEquals(32, loaded.getBatchSize());
        assertEquals("cosine", loaded.getLrSchedule());
        assertEquals("w", loaded.getWeightCol());
        assertArrayEquals(new int[] {8}, loaded.getHiddenLayers());
    }

    @Test
    void anUnfittedPipelineSavesAndLoadsWithTheEstimator() throws Exception {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(Iris.MEASUREMENTS).setOutputCol("features"),
            classifier().setMaxIter(3)});
        String path = dir.resolve("unfitted").toString();
        pipeline.save(path);
        Pipeline loaded = Pipeline.load(path);
        MLPClassifier mlp = (MLPClassifier) loaded.getStages()[1];
        assertEquals(3, mlp.getMaxIter());
        assertEquals("adam", mlp.getOptimizer());
        Dataset<Row> indexed = new StringIndexer().setInputCol("species").setOutputCol("label").fit(Iris.raw())
                .transform(Iris.raw());
        assertEquals(150, loaded.fit(indexed).transform(indexed).count());
    }

    @Test
    void schemaErrorsNameTheColumn() {
        Dataset<Row> data = Iris.assembled();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> classifier().setFeaturesCol("x").fit(data));
        assertTrue(missing.getMessage().contains("featuresCol: there is no column 'x'"), missing.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> classifier().setLabelCol("species").fit(data));
        assertTrue(type.getMessage().contains("column 'species' is string; expected numeric or a vector"),
                type.getMessage());
    }

    @Test
    void serviceLoaderFindsBothEstimators() {
        List<String> found = ServiceLoader.load(Estimator.class).stream().map(p -> p.type().getName()).toList();
        assertTrue(found.contains(MLPClassifier.class.getName()), found.toString());
        assertTrue(found.contains(MLPRegressor.class.getName()), found.toString());
    }
}
