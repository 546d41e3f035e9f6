package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Model;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.SyntheticSparse;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wide sparse data end to end: generate as LIBSVM, train (standardised), predict, evaluate. */
class SparseCliTest {
    private static final int ROWS = 4000;
    private static final int FEATURES = 300;
    private static final int NONZEROS = 6;

    @TempDir
    static Path dir;
    private static Path data;

    @BeforeAll
    static void generate() {
        LocalSpark.session();
        data = dir.resolve("wide.libsvm");
        CliRun run = CliRun.of("generate", "--nonzeros", String.valueOf(NONZEROS), "--features",
                String.valueOf(FEATURES), "--classes", "2", "--rows", String.valueOf(ROWS), "--seed", "5",
                "--partitions", "2", "--output", data.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("wrote 4,000 rows of the synthetic sparse task (300 features, 6 non-zeros a "
                + "row, 2 classes from a linear teacher, seed 5)"), run.out());
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

    @Test
    void theLibsvmFileHoldsTheGeneratorsRowsExactly() throws IOException {
        List<String> lines = readParts(data);
        assertEquals(ROWS, lines.size());
        SyntheticSparse task = new SyntheticSparse(FEATURES, NONZEROS, 2, 5);
        int[] columns = new int[NONZEROS];
        double[] values = new double[NONZEROS];
        for (int i = 0; i < ROWS; i += 97) {
            int label = task.row(i, columns, values);
            StringBuilder expected = new StringBuilder().append(label);
            for (int k = 0; k < NONZEROS; k++) {
                expected.append(' ').append(columns[k] + 1).append(':').append(values[k]);
            }
            assertEquals(expected.toString(), lines.get(i), "line " + (i + 1));
        }
    }

    @Test
    void trainsPredictsAndEvaluatesOnSparseLibsvm() throws IOException {
        Path model = dir.resolve("model");
        CliRun train = CliRun.of("train", "--input", data.toString(), "--layers", "relu(16)|softmax(2)",
                "--epochs", "8", "--batch-size", "250", "--optimizer", "adam", "--lr", "0.01", "--standardize",
                "--validation-fraction", "0.2", "--seed", "3", "--output", model.toString());
        assertEquals(ExitCodes.OK, train.exitCode(), train.err());
        Matcher validated = Pattern.compile("validation: [0-9,]+ rows, loss [0-9.]+ +accuracy ([0-9.]+)")
                .matcher(train.out());
        assertTrue(validated.find(), train.out());
        // The teacher is linear; chance is about 0.5. Held-out accuracy shows the rows were learnt.
        assertTrue(Double.parseDouble(validated.group(1)) > 0.8, train.out());

        Path predictions = dir.resolve("predictions");
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", data.toString(), "--output",
                predictions.toString());
        assertEquals(ExitCodes.OK, predict.exitCode(), predict.err());
        List<String> parts = readParts(predictions);
        assertEquals("label,prediction,output_0,output_1", parts.get(0));
        List<String> lines = parts.stream().filter(l -> !l.startsWith("label")).toList(); // a header per part
        assertEquals(ROWS, lines.size());

        // The CSR path with the folded centring gives what the standardised model computes densely.
        Model saved = new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration()).load(model.toString());
        assertTrue(saved.standardization().isPresent());
        SyntheticSparse task = new SyntheticSparse(FEATURES, NONZEROS, 2, 5);
        int[] columns = new int[NONZEROS];
        double[] values = new double[NONZEROS];
        for (int i = 0; i < ROWS; i += 61) {
            task.row(i, columns, values);
            double[] x = new double[FEATURES];
            for (int k = 0; k < NONZEROS; k++) {
                x[columns[k]] = values[k];
            }
            String[] fields = lines.get(i).split(",");
            double[] out = {Double.parseDouble(fields[2]), Double.parseDouble(fields[3])};
            assertArrayEquals(saved.predict(x, 1), out, 1e-12, "row " + i);
        }

        CliRun evaluate = CliRun.of("evaluate", "--model", model.toString(), "--input", data.toString());
        assertEquals(ExitCodes.OK, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains("accuracy"), evaluate.out());
    }

    @Test
    void aSparseTaskNeedsFewerNonZerosThanFeaturesAndIsClassification() {
        CliRun tooMany = CliRun.of("generate", "--nonzeros", "11", "--features", "10", "--rows", "5", "--output",
                dir.resolve("bad.libsvm").toString());
        assertEquals(ExitCodes.USAGE, tooMany.exitCode(), tooMany.err());
        assertTrue(tooMany.err().contains("11 non-zeros of 10 features"), tooMany.err());
        CliRun regression = CliRun.of("generate", "--nonzeros", "3", "--task", "regression", "--rows", "5",
                "--output", dir.resolve("bad.libsvm").toString());
        assertEquals(ExitCodes.USAGE, regression.exitCode(), regression.err());
        assertTrue(regression.err().contains("--task regression has no sparse form"), regression.err());
    }
}
