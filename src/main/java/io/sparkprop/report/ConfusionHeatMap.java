package io.sparkprop.report;

import io.sparkprop.io.ReportFile;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;

/**
 * A confusion matrix as a heat map ({@link ReportFile#CONFUSION}): rows are true classes (class 0
 * at the top), columns predicted classes, the count written in each cell. Up to
 * {@value #COUNTS_SHOWN} classes the counts fit in the cells; up to {@value #MAX_CLASSES} the
 * colours alone tell them (the title says so); with more the image is not drawn, as no cell
 * would be readable, and the report says the matrix is in {@code metadata.json}.
 */
final class ConfusionHeatMap {
    /** Pixel size of the image. */
    static final int SIZE = 720;
    static final int COUNTS_SHOWN = 20;
    static final int MAX_CLASSES = 100;

    private ConfusionHeatMap() {
    }

    /**
     * @param matrix {@code matrix[true][predicted]} counts (or weights)
     * @param data which data the matrix counts, for the title: "validation" or "training"
     */
    static Optional<byte[]> of(double[][] matrix, String data) {
        int k = matrix.length;
        if (k == 0 || k > MAX_CLASSES) {
            return Optional.empty();
        }
        // The builder, not the (width, height) constructor: only it sets the theme's colours and fonts up.
        HeatMapChart chart = new HeatMapChartBuilder().width(SIZE).height(SIZE).build();
        chart.setTitle("Confusion matrix, " + data + " data" + (k > COUNTS_SHOWN ? " (counts by colour only)" : ""));
        chart.setXAxisTitle("predicted class");
        chart.setYAxisTitle("true class");
        HeatMapStyler styler = chart.getStyler();
        ChartStyle.apply(styler);
        // The colour scale, where the colours alone tell the counts (a heat map's legend goes outside).
        styler.setLegendVisible(k > COUNTS_SHOWN);
        styler.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        styler.setPlotGridLinesVisible(false);
        styler.setShowValue(k <= COUNTS_SHOWN);
        styler.setValueFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, k <= 10 ? 14 : 11));
        styler.setValueFontColor(Color.BLACK);
        styler.setHeatMapDecimalValueFormatter(ConfusionHeatMap::count);
        // Light to medium blue: dark enough to tell the counts apart, light enough for black text.
        styler.setRangeColors(new Color[] {new Color(247, 251, 255), new Color(158, 202, 225), new Color(49, 130, 189)});
        List<String> predicted = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            predicted.add(Integer.toString(c));
            actual.add(Integer.toString(k - 1 - c)); // the y axis grows upwards; class 0 goes on top
        }
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                cells.add(new Number[] {p, k - 1 - t, matrix[t][p]});
            }
        }
        chart.addSeries("confusion", predicted, actual, cells);
        return Optional.of(Png.of(chart, SIZE, SIZE));
    }

    /** A whole count as an integer, a fractional weight with two decimals. */
    static String count(double value) {
        return value == Math.rint(value) && Math.abs(value) < 0x1p53 ? Long.toString((long) value)
                : String.format(java.util.Locale.ROOT, "%.2f", value);
    }
}
