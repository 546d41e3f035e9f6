package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.Numbers;
import io.sparkprop.io.ReportFile;
import io.sparkprop.spark.LocalSpark;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What train leaves in the model directory besides the model (metrics.jsonl, the plots,
 * report.html), and {@code sparkprop report} drawing them again from a saved model.
 */
class ModelReportCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path classifier;
    private static CliRun classifierRun;

    @BeforeAll
    static void trainClassifier() {
        LocalSpark.session();
        classifier = dir.resolve("classifier");
        classifierRun = CliRun.of("train", "--rows", "2000", "--epochs", "6", "--batch-size", "500",
                "--validation-fraction", "0.25", "--lr", "2", "--output", classifier.toString());
        assertEquals(0, classifierRun.exitCode(), classifierRun.err());
    }

    @Test
    void metricsJsonlHoldsTheFiguresEachEpochLinePrinted() throws IOException {
        List<String> printed = classifierRun.out().lines().filter(l -> l.startsWith("epoch ")).toList();
        List<String> lines = Files.readAllLines(classifier.resolve(ModelStore.METRICS_LINES));
        assertEquals(6, lines.size());
        assertEquals(printed.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode e = JSON.readTree(lines.get(i)); // one whole JSON object per line
            String line = printed.get(i);
            JsonNode validation = e.get("validation");
            for (String expected : List.of(
                    String.format("epoch %4d  loss %s", i + 1, Numbers.compact(e.get("loss").asDouble(), 6)),
                    String.format("  accuracy %.4f  | val loss %s  accuracy %.4f  |", e.get("accuracy").asDouble(),
                            Numbers.compact(validation.get("loss").asDouble(), 6), validation.get("accuracy").asDouble()),
                    String.format("| %.3f s  %,.0f rows/s", e.get("seconds").asDouble(), e.get("rowsPerSecond").asDouble()),
                    String.format("  %d steps  ", e.get("steps").asInt()),
                    String.format("overhead %.0f ms/step", 1e3 * e.get("overheadPerStep").asDouble()),
                    String.format("lr %.3g  |g| %.3g", e.get("learningRate").asDouble(),
                            e.get("gradientNorm").asDouble()))) {
                assertTrue(line.contains(expected), "'" + line + "' lacks '" + expected + "' of " + lines.get(i));
            }
            assertTrue(e.get("validationSeconds").asDouble() > 0, lines.get(i));
        }
    }

    @Test
    void theClassifiersDirectoryHoldsItsPlotsAndReportBesideAVerifiedModel() throws IOException {
        assertEquals(Set.of("metadata.json", "weights.bin", "metrics.json", "metrics.jsonl", "loss.png", "accuracy.png",
                "confusion.png", "report.html"), names(classifier));
        new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration()).load(classifier.toString());
        assertImage(classifier.resolve("loss.png"), 800, 480);
        assertImage(classifier.resolve("accuracy.png"), 800, 480);
        assertImage(classifier.resolve("confusion.png"), 720, 720);
        String html = Files.readString(classifier.resolve("report.html"));
        assertEquals(3, html.split("src=\"data:image/png;base64,", -1).length - 1, "three embedded plots");
        assertFalse(html.contains("http:") || html.contains("https:"), "fetches nothing");
        assertTrue(html.contains("Confusion matrix, validation data"), html);
        assertTrue(html.contains("<th>validation rows</th>"), html);
    }

    @Test
    void aRegressionWithoutValidationDataPlotsPredictedAgainstTrueTrainingValues() throws IOException {
        Path model = dir.resolve("regression");
        CliRun run = CliRun.of("train", "--task", "regression", "--rows", "3000", "--epochs", "4", "--optimizer", "adam",
                "--lr", "0.01", "--batch-size", "1000",
                "--output", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(Set.of("metadata.json", "weights.bin", "metrics.json", "metrics.jsonl", "predictions-sample.csv",
                "loss.png", "predictions.png", "report.html"), names(model));
        assertImage(model.resolve("predictions.png"), 720, 720);
        List<String> sample = Files.readAllLines(model.resolve(ModelStore.PREDICTIONS));
        assertEquals("target,prediction", sample.get(0));
        assertEquals(2000 + 1, sample.size(), "the sample is bounded");
        assertTrue(Files.readString(model.resolve("report.html")).contains("regression, 1 output"));
    }

    @Test
    void reportRedrawsWhatTrainWroteAndReplacesOnlyItsOwnReport() throws IOException {
        Path output = dir.resolve("redrawn");
        for (int run = 0; run < 2; run++) { // a second run replaces the first one's report
            CliRun report = CliRun.of("report", classifier.toString(), "--output", output.toString());
            assertEquals(0, report.exitCode(), report.err());
            assertEquals("report:  " + output + "/report.html\n", report.out());
        }
        assertEquals(Set.of("_sparkprop.json", "loss.png", "accuracy.png", "confusion.png", "report.html"),
                names(output));
        for (String file : List.of("report.html", "loss.png", "accuracy.png", "confusion.png")) {
            assertArrayEquals(Files.readAllBytes(classifier.resolve(file)), Files.readAllBytes(output.resolve(file)),
                    file + " drawn again from the saved model is the one train drew");
        }

        CliRun beside = CliRun.of("report", classifier + "/");
        assertEquals(0, beside.exitCode(), beside.err());
        assertTrue(Files.exists(dir.resolve("classifier-report").resolve("report.html")));

        Path foreign = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(foreign.resolve("todo.txt"), "keep me");
        CliRun refused = CliRun.of("report", classifier.toString(), "--output", foreign.toString());
        assertEquals(ExitCodes.IO, refused.exitCode());
        assertTrue(refused.err().contains("todo.txt"), refused.err());
        assertEquals("keep me", Files.readString(foreign.resolve("todo.txt")));
        CliRun inside = CliRun.of("report", classifier.toString(), "--output", classifier.resolve("r").toString());
        assertEquals(ExitCodes.IO, inside.exitCode(), inside.err());
        assertFalse(Files.exists(classifier.resolve("r")));
    }

    @Test
    void aModelFromBeforeReportsGetsOneFromTheHistoryInItsMetadata() throws IOException {
        Path old = Files.createDirectories(dir.resolve("old"));
        for (String file : List.of("metadata.json", "weights.bin", "metrics.json")) {
            Files.copy(classifier.resolve(file), old.resolve(file));
        }
        // As a model written before this change: no environment, the history's older figures only.
        ObjectNode metadata = (ObjectNode) JSON.readTree(old.resolve("metadata.json").toFile());
        metadata.remove("environment");
        for (JsonNode epoch : metadata.get("history")) {
            ((ObjectNode) epoch).remove(List.of("rowsPerSecond", "overheadPerStep", "validationSeconds"));
        }
        JSON.writeValue(old.resolve("metadata.json").toFile(), metadata);

        CliRun report = CliRun.of("report", old.toString());
        assertEquals(0, report.exitCode(), report.err());
        Path output = dir.resolve("old-report");
        assertImage(output.resolve("loss.png"), 800, 480);
        String html = Files.readString(output.resolve("report.html"));
        assertTrue(html.contains("Not recorded: the model was saved by a sparkprop that did not record it."), html);
        assertFalse(html.contains("overhead ms/step"), "no column for a figure the history lacks");
    }

    @Test
    void aMissingOrDamagedModelIsOneLineAndExitCodeFour() throws IOException {
        CliRun missing = CliRun.of("report", dir.resolve("nothing").toString());
        assertEquals(ExitCodes.IO, missing.exitCode());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().contains("is not a sparkprop model directory"), missing.err());

        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        for (String file : List.of("metadata.json", "weights.bin")) {
            Files.copy(classifier.resolve(file), damaged.resolve(file));
        }
        byte[] weights = Files.readAllBytes(damaged.resolve("weights.bin"));
        weights[17] ^= 1;
        Files.write(damaged.resolve("weights.bin"), weights);
        CliRun report = CliRun.of("report", damaged.toString());
        assertEquals(ExitCodes.IO, report.exitCode());
        assertEquals(1, report.err().lines().count(), report.err());
        assertTrue(report.err().contains("SHA-256"), report.err());
        assertFalse(Files.exists(dir.resolve("damaged-report")), "nothing written for a model that does not verify");
    }

    private static Set<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc"))
                    .collect(Collectors.toSet());
        }
    }

    private static void assertImage(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth(), png.toString());
        assertEquals(height, image.getHeight(), png.toString());
        List<Integer> colours = new ArrayList<>();
        for (int y = 0; y < height; y += 7) {
            for (int x = 0; x < width; x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.stream().distinct().count() > 3, png + " is nearly uniform");
    }
}
