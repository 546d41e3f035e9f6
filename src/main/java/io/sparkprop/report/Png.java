package io.sparkprop.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Charts drawn into PNG images of a fixed size, off screen. Drivers on clusters and CI machines
 * have no display: {@link #headless()} tells AWT so before it starts, else it would try to reach one.
 */
final class Png {
    private Png() {
    }

    /** Makes AWT headless; call before the first chart is built (the first AWT use decides). */
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** {@code chart} drawn at {@code width × height} pixels, as PNG bytes. */
    static byte[] of(Chart<?, ?> chart, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            chart.paint(g, width, height);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG image: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }
}
