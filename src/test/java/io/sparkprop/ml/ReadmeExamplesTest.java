package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.engine.MulticlassMetrics;
import io.sparkprop.engine.Network;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.SyntheticClusters;
import io.sparkprop.optim.Adam;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.cli.MetricsReport;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.spark.TrainingConfig;
import io.sparkprop.spark.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The Java examples of the README's API sections, compiled and run: each README block must appear
 * verbatim (indentation aside) between the {@code // README} markers of this file.
 */
class ReadmeExamplesTest {

    @Test
    void pipelineAndCrossValidation() throws Exception {
        LocalSpark.session();
        // README begin
        SparkSession spark = SparkSession.builder().getOrCreate();
        Dataset<Row> iris = spark.read().option("header", true)
                .schema("sepal_length DOUBLE, sepal_width DOUBLE, petal_length DOUBLE, petal_width DOUBLE, species STRING")
                .csv("src/test/resources/datasets/iris.csv");

        MLPClassifier mlp = new MLPClassifier()
                .setHiddenLayers(new int[] {16}).setActivation("relu")
                .setOptimizer("adam").setStepSize(0.01).setMaxIter(100)
                .setStandardize(true);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new StringIndexer().setInputCol("species").setOutputCol("label"),
                new VectorAssembler().setOutputCol("features")
                        .setInputCols(new String[] {"sepal_length", "sepal_width", "petal_length", "petal_width"}),
                mlp});

        PipelineModel model = pipeline.fit(iris);
        Dataset<Row> scored = model.transform(iris);   // every input column + rawPrediction, probability, prediction
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);

        model.write().overwrite().save("/tmp/iris-mlp");
        PipelineModel same = PipelineModel.load("/tmp/iris-mlp");
        // README end
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        assertEquals(scored.select("probability").collectAsList(),
                same.transform(iris).select("probability").collectAsList());

        // README begin
        CrossValidator cv = new CrossValidator()
                .setEstimator(pipeline)
                .setEstimatorParamMaps(new ParamGridBuilder()
                        .addGrid(mlp.stepSize(), new double[] {0.003, 0.03})
                                .build())
                .setEvaluator(new MulticlassClassificationEvaluator())
                .setNumFolds(2).setParallelism(2);
        CrossValidatorModel tuned = cv.fit(iris);
        // README end
        assertEquals(2, tuned.avgMetrics().length);
    }

    @Test
    void lowerLevelApi() {
        SparkSession spark = LocalSpark.session();
        // README begin
        Dataset<Row> data = new DataLoader(spark)     // or .load(path, DataFormat.CSV, Optional.empty())
                .synthetic(SyntheticClusters.standard(42), 5_000, 2).frame();   // 10 features, 10 classes
        Network net = Network.parse("relu(16)|softmax(10)", 10);
        TrainingConfig config = TrainingConfig.of(20, 0.01).withBatchSize(256)
                .withOptimizer(new Adam(0.9, 0.999, 1e-8))          // or new Adam(): the same defaults
                .withSchedule(new LearningRateSchedule.Cosine(0.0)) // to η_min = 0 over the 20 epochs
                .withStandardize(true).withValidationFraction(0.2).withPatience(5);
        TrainingResult result = new SparkTrainer(config)
                .withColumns("features", "label")
                .withListener(epoch -> System.out.println(epoch))
                .fit(data, net);
        System.out.println(MetricsReport.format(result.validation()));   // accuracy, macro F1, confusion matrix...
        double macroF1 = ((MulticlassMetrics) result.validation()).macroF1();   // one type per task
        new ModelStore(spark.sparkContext().hadoopConfiguration())
                .save(result.model(), result.record("synthetic"), "/tmp/sparkprop-model", true);   // replaces only a model
        // README end
        assertTrue(macroF1 > 0.5, "macro F1 " + macroF1);
    }

    @Test
    void onnxExportAndServing() throws Exception {
        Dataset<Row> iris = Iris.raw();
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
                new StringIndexer().setInputCol("species").setOutputCol("label"),
                new VectorAssembler().setOutputCol("features").setInputCols(Iris.MEASUREMENTS),
                new MLPClassifier().setHiddenLayers(new int[] {16}).setActivation("relu").setOptimizer("adam")
                        .setStepSize(0.01).setMaxIter(100).setStandardize(true)}).fit(iris);
        Files.deleteIfExists(Path.of("/tmp/iris.onnx")); // an earlier run's: exportOnnx never replaces a file
        // README begin
        MLPClassificationModel mlp = (MLPClassificationModel) model.stages()[2];
        mlp.exportOnnx("/tmp/iris.onnx");   // float32; mlp.exportOnnx(path, Precision.FLOAT64) for float64
        // README end
        assertArrayEquals(new String[] {"Iris-setosa", "Iris-virginica"},
                classify("/tmp/iris.onnx", new float[][] {{5.1f, 3.5f, 1.4f, 0.2f}, {6.7f, 3.0f, 5.2f, 2.3f}}));
    }

    // README begin
    /** The species of each row of measurements, by the exported model: ONNX Runtime alone, no Spark. */
    static String[] classify(String onnxFile, float[][] rows) throws OrtException, IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnxFile);
             OnnxTensor features = OnnxTensor.createTensor(env, rows);   // [N, 4] raw measurements
             OrtSession.Result result = session.run(Map.of("features", features))) {
            long[] label = (long[]) result.get("label").get().getValue();   // class index per row
            float[][] probabilities = (float[][]) result.get("probabilities").get().getValue();
            String[] names = new ObjectMapper().readValue(   // StringIndexer's labels, index by index
                    session.getMetadata().getCustomMetadata().get("labels"), String[].class);
            String[] species = new String[rows.length];
            for (int r = 0; r < rows.length; r++) {
                species[r] = names[(int) label[r]];
                System.out.printf("%s (p = %.3f)%n", species[r], probabilities[r][(int) label[r]]);
            }
            return species;
        }
    }
    // README end

    @Test
    void everyJavaBlockOfTheApiSectionsIsInThisFile() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> blocks = new ArrayList<>();
        for (String section : List.of("## Spark ML API", "## Serving with ONNX")) {
            int from = readme.indexOf(section);
            int to = readme.indexOf("\n## ", from + 1);
            blocks.addAll(blocks(readme.substring(from, to), Pattern.compile("```java\n(.*?)```", Pattern.DOTALL)));
        }
        List<String> tested = blocks(Files.readString(Path.of("src/test/java/io/sparkprop/ml/ReadmeExamplesTest.java")),
                Pattern.compile("// README begin\n(.*?)\\s*// README end", Pattern.DOTALL));
        assertEquals(5, blocks.size(), "Java blocks in the README's API and serving sections");
        assertEquals(blocks, tested);
    }

    /** The matches of {@code pattern}'s group 1, each line stripped of its indentation and trailing blanks. */
    private static List<String> blocks(String text, Pattern pattern) {
        List<String> result = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            result.add(m.group(1).lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("").strip());
        }
        return result;
    }
}
