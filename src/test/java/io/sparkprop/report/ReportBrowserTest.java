package io.sparkprop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Network;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.PendingOutput;
import io.sparkprop.io.SyntheticClusters;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.spark.TrainingConfig;
import io.sparkprop.spark.TrainingResult;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a small trained model as a browser shows it: rendered by headless Chromium, the
 * page is not blank and shows the plots — the series' colours are on the screen, and they are not
 * when the same page is rendered without its images. Skipped, saying why, where no Chromium is
 * installed ({@code .ci/run} installs Debian's {@code chromium}).
 */
class ReportBrowserTest {
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome",
            "google-chrome-stable");
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 3200;

    @TempDir
    Path dir;

    @Test
    void chromiumShowsTheReportWithItsPlots() throws Exception {
        Optional<Path> browser = browser();
        Assumptions.assumeTrue(browser.isPresent(), "no Chromium on the PATH (looked for " + BROWSERS + "): the "
                + "report is not rendered in a browser; install Debian's chromium package to run this test");
        Path model = trainSmallModel();
        String html = Files.readString(model.resolve("report.html"));
        Path withoutImages = dir.resolve("without-images.html");
        Files.writeString(withoutImages, html.replaceAll("<img [^>]*>", ""));

        BufferedImage page = screenshot(browser.get(), model.resolve("report.html"), "page.png");
        BufferedImage bare = screenshot(browser.get(), withoutImages, "bare.png");

        int[] pixels = page.getRGB(0, 0, WIDTH, HEIGHT, null, 0, WIDTH);
        assertTrue(IntStream.of(pixels).distinct().count() > 50, "the screenshot is (nearly) blank");
        for (Color series : List.of(ChartStyle.TRAINING, ChartStyle.VALIDATION)) {
            long shown = near(page, series);
            assertTrue(shown > 500, "the plots' " + series + " covers only " + shown + " pixels of the page");
            assertEquals(0, near(bare, series), "without images, nothing on the page has the plots' " + series);
        }
    }

    /** Trains a 3-class model for a few epochs with validation data and saves it with its report. */
    private Path trainSmallModel() {
        LabeledData data = new DataLoader(LocalSpark.session()).synthetic(new SyntheticClusters(4, 3, 1, 2.0, 0.6, 5),
                600, 2);
        TrainingResult result = new SparkTrainer(TrainingConfig.of(8, 1.0).withValidationFraction(0.25))
                .fit(data.frame(), Network.parse("sigmoid(8)|softmax(3)", 4));
        Path model = dir.resolve("model");
        ModelStore store = new ModelStore(LocalSpark.session().sparkContext().hadoopConfiguration());
        try (PendingOutput output = store.reserve(model.toString(), false, List.of())) {
            store.save(result.model(), result.record(data.source()), output, TrainingReport.INSTANCE);
        }
        return model;
    }

    private BufferedImage screenshot(Path browser, Path page, String name) throws IOException, InterruptedException {
        Path png = dir.resolve(name);
        Process process = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile-" + name),
                "--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "Chromium did not finish within two minutes");
        assertTrue(Files.exists(png), "Chromium wrote no screenshot: " + Files.readString(dir.resolve(name + ".log")));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(WIDTH, image.getWidth());
        return image;
    }

    /** Pixels within a small distance of {@code colour} (anti-aliasing blends the edges of lines). */
    private static long near(BufferedImage image, Color colour) {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        return IntStream.of(pixels).filter(p -> Math.abs((p >> 16 & 0xff) - colour.getRed())
                + Math.abs((p >> 8 & 0xff) - colour.getGreen()) + Math.abs((p & 0xff) - colour.getBlue()) < 24).count();
    }

    private static Optional<Path> browser() {
        String path = System.getenv().getOrDefault("PATH", "");
        return BROWSERS.stream().flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
