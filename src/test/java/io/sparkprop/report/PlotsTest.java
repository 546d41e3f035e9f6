package io.sparkprop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.io.ReportFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The report's images: which are drawn for which task, and that each is a real image of its stated size. */
class PlotsTest {

    @Test
    void aClassifierHasLossAccuracyAndConfusionPlots() throws IOException {
        Plots plots = Plots.of(ReportRuns.classifier(4, 12, "train.csv"));
        assertEquals(Set.of(ReportFile.LOSS, ReportFile.ACCURACY, ReportFile.CONFUSION), plots.images().keySet());
        for (var image : plots.images().entrySet()) {
            assertDrawn(image.getKey(), image.getValue());
        }
    }

    @Test
    void aRegressionHasLossAndPredictionPlots() throws IOException {
        Plots plots = Plots.of(ReportRuns.regression(30));
        assertEquals(Set.of(ReportFile.LOSS, ReportFile.PREDICTIONS), plots.images().keySet());
        for (var image : plots.images().entrySet()) {
            assertDrawn(image.getKey(), image.getValue());
        }
    }

    @Test
    void manyClassesAreDrawnByColourAndTooManyAreNotDrawn() throws IOException {
        assertDrawn(ReportFile.CONFUSION, Plots.of(ReportRuns.classifier(ConfusionHeatMap.COUNTS_SHOWN + 5, 3, "x"))
                .images().get(ReportFile.CONFUSION));
        assertFalse(Plots.of(ReportRuns.classifier(ConfusionHeatMap.MAX_CLASSES + 1, 3, "x"))
                .images().containsKey(ReportFile.CONFUSION));
    }

    /** A PNG of the size {@link ReportPage#pixels} states, with more than a few colours. */
    static void assertDrawn(ReportFile file, byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(image != null, file + " is not a PNG image");
        int[] size = ReportPage.pixels(file);
        assertEquals(size[0], image.getWidth(), file + " width");
        assertEquals(size[1], image.getHeight(), file + " height");
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        long colours = IntStream.of(pixels).distinct().count();
        assertTrue(colours > 10, file + " has only " + colours + " colours");
        // Drawn, not a blank page with a title: lines, points or cells cover a share of it.
        int background = pixels[0];
        double drawn = IntStream.of(pixels).filter(p -> p != background).count() / (double) pixels.length;
        assertTrue(drawn > 0.03, file + ": only " + drawn + " of the pixels differ from the background");
    }
}
