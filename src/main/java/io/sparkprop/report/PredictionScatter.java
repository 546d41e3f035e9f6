package io.sparkprop.report;

import io.sparkprop.io.ReportFile;
import io.sparkprop.engine.PredictionSample;
import io.sparkprop.io.SampledPredictions;
import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A regression's predicted against true values for a sample of rows ({@link ReportFile#PREDICTIONS}),
 * with the line of perfect predictions; one colour per output, up to {@value #MAX_OUTPUTS}
 * outputs (the title says when there are more).
 */
final class PredictionScatter {
    /** Pixel size of the image. */
    static final int SIZE = 720;
    static final int MAX_OUTPUTS = 6;
    private static final Color[] OUTPUT_COLORS = {ChartStyle.TRAINING, ChartStyle.VALIDATION, new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)};

    private PredictionScatter() {
    }

    static byte[] of(SampledPredictions sampled) {
        PredictionSample sample = sampled.sample();
        int shown = Math.min(sample.outputs(), MAX_OUTPUTS);
        XYChart chart = new XYChart(SIZE, SIZE);
        chart.setTitle("Predicted vs true, " + sample.rows() + " " + sampled.data() + " rows"
                + (shown < sample.outputs() ? " (outputs 0-" + (shown - 1) + " of " + sample.outputs() + ")" : ""));
        chart.setXAxisTitle("true value");
        chart.setYAxisTitle("predicted value");
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(5);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < shown; j++) {
            double[] x = new double[sample.rows()];
            double[] y = new double[sample.rows()];
            for (int r = 0; r < x.length; r++) {
                x[r] = sample.target(r, j);
                y[r] = sample.prediction(r, j);
                low = Math.min(low, Math.min(x[r], y[r]));
                high = Math.max(high, Math.max(x[r], y[r]));
            }
            XYSeries series = chart.addSeries(sample.outputs() == 1 ? "rows" : "output " + j, x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(OUTPUT_COLORS[j]);
        }
        if (low < high) {
            XYSeries perfect = chart.addSeries("predicted = true", new double[] {low, high}, new double[] {low, high});
            perfect.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            perfect.setMarker(SeriesMarkers.NONE);
            perfect.setLineColor(ChartStyle.REFERENCE);
        }
        return Png.of(chart, SIZE, SIZE);
    }
}
