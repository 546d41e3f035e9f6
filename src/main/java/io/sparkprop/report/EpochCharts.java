package io.sparkprop.report;

import io.sparkprop.io.ReportFile;
import io.sparkprop.io.EpochRecord;
import io.sparkprop.io.MetricSummary;
import java.awt.Color;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Figures per epoch as line charts: training and validation loss ({@link ReportFile#LOSS}),
 * training and validation accuracy ({@link ReportFile#ACCURACY}). Epochs without a figure (no
 * validation data, a regression's accuracy) are left out of its line; a chart without any figure
 * is not drawn.
 */
final class EpochCharts {
    /** Pixel size of both charts. */
    static final int WIDTH = 800;
    static final int HEIGHT = 480;
    /** More epochs than this are drawn as lines without a marker per epoch. */
    private static final int MARKED_EPOCHS = 60;
    /** More epochs than this get their x-axis labels turned upright. */
    private static final int UPRIGHT_EPOCH_LABELS = 40;

    private EpochCharts() {
    }

    /** Training and validation loss per epoch; empty without a history. */
    static Optional<byte[]> loss(List<EpochRecord> history, int keptEpoch) {
        return chart("Loss per epoch" + kept(history, keptEpoch), "mean loss", Styler.LegendPosition.InsideNE, history,
                EpochRecord::loss,
                e -> e.validation().map(MetricSummary::loss).orElse(Double.NaN));
    }

    /** Training and validation accuracy per epoch; empty when no epoch measured one (regression). */
    static Optional<byte[]> accuracy(List<EpochRecord> history, int keptEpoch) {
        return chart("Accuracy per epoch" + kept(history, keptEpoch), "accuracy", Styler.LegendPosition.InsideSE,
                history, EpochRecord::accuracy,
                e -> e.validation().map(MetricSummary::accuracy).orElse(Double.NaN));
    }

    /** Says which epoch's weights the model kept when that is not the last. */
    private static String kept(List<EpochRecord> history, int keptEpoch) {
        boolean last = history.isEmpty() || history.get(history.size() - 1).epoch() == keptEpoch;
        return last ? "" : " (model keeps epoch " + keptEpoch + ")";
    }

    /** @param legend where the legend hides the least: away from where the curves end */
    private static Optional<byte[]> chart(String title, String yTitle, Styler.LegendPosition legend,
                                          List<EpochRecord> history,
                                          ToDoubleFunction<EpochRecord> training,
                                          ToDoubleFunction<EpochRecord> validation) {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle("epoch");
        chart.setYAxisTitle(yTitle);
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setXAxisDecimalPattern("#");
        if (history.size() > UPRIGHT_EPOCH_LABELS) {
            chart.getStyler().setXAxisLabelRotation(90); // XChart ticks long runs densely; upright labels stay apart
        }
        chart.getStyler().setLegendPosition(legend);
        boolean marked = history.size() <= MARKED_EPOCHS;
        boolean drawn = add(chart, "training", history, training, ChartStyle.TRAINING, marked);
        drawn |= add(chart, "validation", history, validation, ChartStyle.VALIDATION, marked);
        return drawn ? Optional.of(Png.of(chart, WIDTH, HEIGHT)) : Optional.empty();
    }

    /** Adds the series of the epochs that have the figure; false when none has. */
    private static boolean add(XYChart chart, String name, List<EpochRecord> history,
                               ToDoubleFunction<EpochRecord> figure, Color color, boolean marked) {
        List<EpochRecord> measured = history.stream().filter(e -> Double.isFinite(figure.applyAsDouble(e))).toList();
        if (measured.isEmpty()) {
            return false;
        }
        double[] x = measured.stream().mapToDouble(EpochRecord::epoch).toArray();
        double[] y = measured.stream().mapToDouble(figure).toArray();
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(marked ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return true;
    }
}
