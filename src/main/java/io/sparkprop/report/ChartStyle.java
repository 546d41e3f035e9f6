package io.sparkprop.report;

import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.style.AxesChartStyler;

/** The look every plot of the report shares: white, plain fonts, a light grid. */
final class ChartStyle {
    /** Training series: blue. */
    static final Color TRAINING = new Color(31, 119, 180);
    /** Validation series: orange. */
    static final Color VALIDATION = new Color(255, 127, 14);
    /** Reference lines (a perfect prediction). */
    static final Color REFERENCE = new Color(120, 120, 120);

    private ChartStyle() {
    }

    static void apply(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendBorderColor(new Color(200, 200, 200));
        styler.setAntiAlias(true);
        styler.setToolTipsEnabled(false);
    }
}
