package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.io.DataFormat;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.SyntheticClusters;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.spark.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, in this JVM, on the shared local[2,4] session. */
class SparkpropCliTest {
    private static final int ROWS = 300;

    @TempDir
    static Path dir;
    private static Path csv;
    private static double[][] features;

    @BeforeAll
    static void writeCsv() throws IOException {
        LocalSpark.session();
        SyntheticClusters.Rows rows = new SyntheticClusters(4, 3, 1, 2.0, 0.5, 7).rows();
        features = new double[ROWS][4];
        List<String> lines = new ArrayList<>();
        lines.add("label,f0,f1,f2,f3");
        for (int i = 0; i < ROWS; i++) {
            int label = rows.row(i, features[i]);
            StringBuilder line = new StringBuilder().append(label);
            for (double v : features[i]) {
                line.append(',').append(v);
            }
            lines.add(line.toString());
        }
        csv = dir.resolve("train.csv");
        Files.write(csv, lines);
    }

    @Test
    void trainsSavesAndPredictsLikeTheJavaApi() throws IOException {
        Path modelDir = dir.resolve("model");
        CliRun train = CliRun.of("train", "--input", csv.toString(), "--layers", "tanh(8)|softmax(3)",
                "--epochs", "30", "--lr", "0.5", "--seed", "3", "--partitions", "2", "--block-size", "64",
                "--output", modelDir.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("epoch   30  loss"), train.out());
        assertTrue(train.out().contains("accuracy"), train.out());
        assertTrue(Files.exists(modelDir.resolve("metadata.json")));
        assertEquals(8L * (5 * 8 + 9 * 3), Files.size(modelDir.resolve("weights.bin")));

        ModelStore store = new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration());
        Model saved = store.load(modelDir.toString());
        LabeledData data = new DataLoader(LocalSpark.session()).load(csv.toString(), DataFormat.CSV, Optional.empty());
        Network network = Network.parse("tanh(8)|softmax(3)", 4, Loss.CATEGORICAL_CROSS_ENTROPY);
        Model api = new SparkTrainer(new TrainingConfig(30, 0.5, 3, 2, 64, 2)).fit(data.frame(), network).model();
        assertArrayEquals(api.parameters(), saved.parameters(), "the CLI trains exactly what the API trains");

        Path predictions = dir.resolve("predictions");
        CliRun predict = CliRun.of("predict", "--model", modelDir.toString(), "--input", csv.toString(),
                "--output", predictions.toString());
        assertEquals(0, predict.exitCode(), predict.err());

        List<String> lines = readParts(predictions);
        assertEquals("label,prediction,output_0,output_1,output_2", lines.get(0));
        List<String> rows = lines.stream().filter(l -> !l.startsWith("label")).toList();
        assertEquals(ROWS, rows.size());
        double[] flat = new double[ROWS * 4];
        for (int i = 0; i < ROWS; i++) {
            System.arraycopy(features[i], 0, flat, 4 * i, 4);
        }
        double[] expected = saved.predict(flat, ROWS);
        for (int i = 0; i < ROWS; i++) {
            String[] v = rows.get(i).split(",");
            int argMax = io.sparkprop.engine.Backprop.argMax(expected, 3 * i, 3);
            assertEquals(argMax, Double.parseDouble(v[1]), "prediction of row " + i);
            for (int k = 0; k < 3; k++) {
                assertEquals(expected[3 * i + k], Double.parseDouble(v[2 + k]), 1e-15, "output " + k + " of row " + i);
            }
        }
    }

    @Test
    void predictsFromACsvWithoutLabels() throws IOException {
        Path modelDir = dir.resolve("unlabelled-model");
        assertEquals(0, CliRun.of("train", "--input", csv.toString(), "--layers", "4,6,3", "--epochs", "2",
                "--output", modelDir.toString()).exitCode());
        Path unlabelled = dir.resolve("features.csv");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(String.format(Locale.ROOT, "%s,%s,%s,%s", features[i][0], features[i][1], features[i][2],
                    features[i][3]));
        }
        Files.write(unlabelled, lines);
        CliRun predict = CliRun.of("predict", "--model", modelDir.toString(), "--input", unlabelled.toString(),
                "--output", dir.resolve("unlabelled-predictions").toString());
        assertEquals(0, predict.exitCode(), predict.err());
        List<String> out = readParts(dir.resolve("unlabelled-predictions"));
        assertEquals("prediction,output_0,output_1,output_2", out.get(0));
        assertEquals(10, out.stream().filter(l -> !l.startsWith("prediction")).count());
    }

    @Test
    void continuesFromASavedModelExactlyAsAnUninterruptedRun() {
        String[] common = {"train", "--input", csv.toString(), "--layers", "4,5,3", "--lr", "0.3", "--partitions", "2"};
        Path two = dir.resolve("two-epochs");
        Path four = dir.resolve("four-epochs");
        Path resumed = dir.resolve("resumed");
        assertEquals(0, CliRun.of(concat(common, "--epochs", "2", "--output", two.toString())).exitCode());
        assertEquals(0, CliRun.of(concat(common, "--epochs", "4", "--output", four.toString())).exitCode());
        CliRun run = CliRun.of(concat(common, "--epochs", "2", "--init-model", two.toString(), "--output",
                resumed.toString()));
        assertEquals(0, run.exitCode(), run.err());
        ModelStore store = new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration());
        assertArrayEquals(store.load(four.toString()).parameters(), store.load(resumed.toString()).parameters());

        assertUserError(CliRun.of(concat(common, "--layers", "4,9,3", "--init-model", two.toString())),
                ExitCodes.USAGE, "does not match the network of --init-model");
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void trainsWithMiniBatchesAdamAndValidationThenEvaluatesTheModel() throws IOException {
        Path modelDir = dir.resolve("adam-model");
        CliRun train = CliRun.of("train", "--input", csv.toString(), "--layers", "tanh(8)|softmax(3)", "--epochs", "6",
                "--batch-size", "64", "--optimizer", "adam", "--lr", "0.05", "--lr-schedule", "cosine", "--standardize",
                "--validation-fraction", "0.2", "--early-stopping", "2", "--partitions", "2", "--output",
                modelDir.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("optimizer: adam(beta1=0.9, beta2=0.999, epsilon=1E-8), cosine("), train.out());
        assertTrue(train.out().contains("| val loss "), train.out());
        assertTrue(train.out().contains(" steps/s  overhead "), train.out());
        assertTrue(train.out().contains("validation: "), train.out());

        Path json = dir.resolve("metrics.json");
        CliRun evaluate = CliRun.of("evaluate", "--model", modelDir.toString(), "--input", csv.toString(), "--output",
                json.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains("macro F1"), evaluate.out());

        // The accuracy in the JSON is the fraction of rows whose arg-max output is the label.
        Model model = new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration()).load(modelDir.toString());
        assertTrue(model.standardization().isPresent());
        double[] flat = new double[ROWS * 4];
        for (int i = 0; i < ROWS; i++) {
            System.arraycopy(features[i], 0, flat, 4 * i, 4);
        }
        double[] out = model.predict(flat, ROWS);
        List<String> lines = Files.readAllLines(csv);
        int correct = 0;
        for (int i = 0; i < ROWS; i++) {
            int label = Integer.parseInt(lines.get(i + 1).split(",")[0]);
            correct += io.sparkprop.engine.Backprop.argMax(out, 3 * i, 3) == label ? 1 : 0;
        }
        var metrics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).path("metrics");
        assertEquals(ROWS, metrics.path("count").asLong());
        assertEquals((double) correct / ROWS, metrics.path("accuracy").asDouble(), 1e-15);
        assertEquals(ROWS, sum(metrics.path("confusionMatrix")));

        assertUserError(CliRun.of("evaluate", "--model", modelDir.toString(), "--input", csv.toString(), "--output",
                json.toString()), ExitCodes.IO, "already exists; pass --overwrite");
    }

    private static long sum(com.fasterxml.jackson.databind.JsonNode matrix) {
        long total = 0;
        for (var row : matrix) {
            for (var cell : row) {
                total += cell.asLong();
            }
        }
        return total;
    }

    @Test
    void aJobFileGivesDefaultsThatFlagsOverride() throws IOException {
        Path job = dir.resolve("job.properties");
        Files.write(job, List.of("# a job file", "input = " + csv, "layers = tanh(8)|softmax(3)", "epochs = 2",
                "lr = 0.5", "seed = 3", "batch-size = 100", "optimizer = momentum", "standardize = true"));
        Path fromFile = dir.resolve("from-job-file");
        Path fromFlags = dir.resolve("from-flags");
        CliRun run = CliRun.of("train", "--config", job.toString(), "--epochs", "4", "--quiet", "--output",
                fromFile.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.out().contains("epoch "), "--quiet prints no epoch lines: " + run.out());
        assertTrue(run.out().startsWith("final:") && run.out().contains("model:   " + fromFile), run.out());
        assertEquals(0, CliRun.of("train", "--input", csv.toString(), "--layers", "tanh(8)|softmax(3)", "--epochs", "4",
                "--lr", "0.5", "--seed", "3", "--batch-size", "100", "--optimizer", "momentum", "--standardize",
                "--output", fromFlags.toString()).exitCode());
        ModelStore store = new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration());
        assertArrayEquals(store.load(fromFlags.toString()).parameters(), store.load(fromFile.toString()).parameters());
        var metrics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fromFile.resolve("metrics.json").toFile());
        assertEquals(4, metrics.path("epochsRun").asInt());

        Files.write(job, List.of("epoch = 3"));
        assertUserError(CliRun.of("train", "--config", job.toString()), ExitCodes.USAGE,
                "'epoch' is not an option of train");
        // The update rule's newer options are keys too (the refusal shows they were read).
        Files.write(job, List.of("input = " + csv, "layers = tanh(8)|softmax(3)", "epochs = 1", "optimizer = lamb",
                "warmup-epochs = 1.5"));
        assertUserError(CliRun.of("train", "--config", job.toString()), ExitCodes.USAGE,
                "warm-up epochs must be at most the number of epochs (1), got 1.5");
        assertUserError(CliRun.of("train", "--config", dir.resolve("none.properties").toString()), ExitCodes.USAGE,
                "no such file");
    }

    @Test
    void badTrainingOptionsExitNonZeroWithOneClearLine() {
        String[] common = {"train", "--input", csv.toString(), "--layers", "4,3", "--epochs", "1"};
        assertUserError(CliRun.of(concat(common, "--early-stopping", "2")), ExitCodes.USAGE,
                "--early-stopping needs validation data");
        assertUserError(CliRun.of(concat(common, "--optimizer", "sgdx")), ExitCodes.USAGE,
                "unknown optimizer 'sgdx' (expected gd, momentum, nesterov, adam or lamb)");
        assertUserError(CliRun.of(concat(common, "--optimizer", "lamb", "--warmup-epochs", "-1")), ExitCodes.USAGE,
                "--warmup-epochs must be 0 (off) or a positive number, got -1.0");
        assertUserError(CliRun.of(concat(common, "--optimizer", "lamb", "--warmup-epochs", "2")), ExitCodes.USAGE,
                "warm-up epochs must be at most the number of epochs (1), got 2.0");
        assertUserError(CliRun.of(concat(common, "--validation", csv.toString(), "--validation-fraction", "0.1")),
                ExitCodes.USAGE, "not both");
        assertUserError(CliRun.of(concat(common, "--validation-fraction", "1")), ExitCodes.USAGE,
                "validation fraction must be in [0, 1)");
        assertUserError(CliRun.of(concat(common, "--batch-size", "-5")), ExitCodes.USAGE, "batch size");
        assertUserError(CliRun.of(concat(common, "--lr-decay", "2")), ExitCodes.USAGE, "--lr-decay must be in (0, 1]");
        assertUserError(CliRun.of("train", "--task", "ranking"), ExitCodes.USAGE, "expected classification or regression");
    }

    @Test
    void badArgumentsExitNonZeroWithOneClearLine() {
        assertUserError(CliRun.of("train", "--lr", "-1"), ExitCodes.USAGE, "learning rate must be a positive number");
        assertUserError(CliRun.of("train", "--layers", "5"), ExitCodes.USAGE, "at least an input and an output width");
        assertUserError(CliRun.of("train", "--epochs", "many"), ExitCodes.USAGE, "'many' is not an int");
        assertUserError(CliRun.of("train", "--layers", "relu(4)|softmax(3)", "--loss", "binary-cross-entropy"),
                ExitCodes.USAGE, "needs a sigmoid output layer");
        assertUserError(CliRun.of("train", "--input", csv.toString()), ExitCodes.USAGE, "--layers is required");
        assertUserError(CliRun.of("train", "--input", csv.toString(), "--layers", "7,3"), ExitCodes.USAGE,
                "the network takes 7 inputs but csv " + csv + " has 4 features");
        assertUserError(CliRun.of("train", "--input", dir.resolve("missing.csv").toString(), "--layers", "4,3"),
                ExitCodes.IO, "missing.csv: no such file or directory");
        assertUserError(CliRun.of("predict", "--model", dir.resolve("no-model").toString(), "--input", csv.toString(),
                "--output", dir.resolve("x").toString()), ExitCodes.IO, "metadata.json is missing");
        assertUserError(CliRun.of("fly"), ExitCodes.USAGE, "Unmatched argument");
    }

    @Test
    void badDataNamesTheFileLineAndColumn() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, List.of("label,a,b", "0,1.5,2", "1,0.5,x7", "2,1,1"));
        CliRun run = CliRun.of("train", "--input", bad.toString(), "--layers", "2,3", "--epochs", "1");
        assertUserError(run, ExitCodes.BAD_DATA, "bad.csv:3: column 2 ('b') holds 'x7'; expected a finite number");

        Path ragged = dir.resolve("ragged.csv");
        Files.write(ragged, List.of("0,1.5,2", "1,0.5", "2,1,1"));
        assertUserError(CliRun.of("train", "--input", ragged.toString(), "--layers", "2,3", "--epochs", "1"),
                ExitCodes.BAD_DATA, "ragged.csv:2: found 2 fields, expected 3 like the first line");

        Path empty = dir.resolve("hole.csv");
        Files.write(empty, List.of("0,1.5,2", "1,,3"));
        assertUserError(CliRun.of("train", "--input", empty.toString(), "--layers", "2,3", "--epochs", "1"),
                ExitCodes.BAD_DATA, "hole.csv:2: column 1 is empty; expected a finite number");

        Path labels = dir.resolve("labels.csv");
        Files.write(labels, List.of("0,1.5,2", "7,0.5,1"));
        assertUserError(CliRun.of("train", "--input", labels.toString(), "--layers", "2,3", "--epochs", "1"),
                ExitCodes.BAD_DATA, "labels.csv:2: label 7.0 is not a class index 0..2 (the output layer has 3 units) "
                        + "(the label is column 0, guessed: no column is named 'label'; choose one with --label-col)");
        CliRun chosen = CliRun.of("train", "--input", labels.toString(), "--layers", "2,3", "--epochs", "1",
                "--label-col", "0");
        assertUserError(chosen, ExitCodes.BAD_DATA, "labels.csv:2: label 7.0 is not a class index 0..2");
        assertFalse(chosen.err().contains("guessed"), chosen.err());
    }

    @Test
    void refusesToOverwriteAModelUnlessAsked() {
        Path modelDir = dir.resolve("kept");
        String[] args = {"train", "--input", csv.toString(), "--layers", "4,3", "--epochs", "1", "--output",
            modelDir.toString()};
        assertEquals(0, CliRun.of(args).exitCode());
        assertUserError(CliRun.of(args), ExitCodes.IO, "already exists; pass --overwrite");
        assertEquals(0, CliRun.of(concat(args, "--overwrite")).exitCode());
    }

    private static void assertUserError(CliRun run, int code, String message) {
        assertEquals(code, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace for a user error: " + run.err());
    }

    private static List<String> readParts(Path outputDir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(outputDir)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                lines.addAll(Files.readAllLines(part));
            }
        }
        return lines;
    }
}
