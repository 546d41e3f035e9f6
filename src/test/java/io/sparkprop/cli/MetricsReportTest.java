package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.MetricsExamples;
import io.sparkprop.engine.MulticlassMetrics;
import io.sparkprop.engine.RegressionMetrics;
import io.sparkprop.spark.EpochStats;
import org.junit.jupiter.api.Test;

class MetricsReportTest {

    @Test
    void formatPrintsMetricsAndAnAlignedConfusionMatrix() {
        String text = MetricsReport.format(MetricsExamples.multiclass());
        assertEquals(String.join("\n",
                "task                  multiclass (3 classes)",
                "examples              6",
                "loss                  0.500000",
                "accuracy              0.5000",
                "log loss              1.20261",
                "macro F1              0.4000",
                "confusion matrix (rows: true class, columns: predicted class)",
                "true\\pred    0    1    2",
                "        0    2    0    0",
                "        1    1    1    0",
                "        2    0    2    0",
                ""), text);

        MulticlassMetrics wide = new MulticlassMetrics(21);
        double[] one = new double[21];
        one[20] = 1;
        wide.add(one, one, 1, 0.0);
        String summary = MetricsReport.format(wide);
        assertTrue(summary.contains("accuracy              1.0000"), summary);
        assertTrue(summary.endsWith("confusion matrix not printed for 21 classes; it is in the JSON output\n"), summary);

        String r = MetricsReport.format(MetricsExamples.regression());
        assertTrue(r.contains("R^2                   0.6250\n"), r);
        assertTrue(r.contains("output     RMSE      MAE      R^2\n"
                + "     0 0.559017 0.375000   0.7500\n"
                + "     1 0.707107 0.500000   0.5000\n"), r);
    }

    @Test
    void formatPrintsBinaryAndMultilabelTables() {
        String binary = MetricsReport.format(MetricsExamples.binary());
        assertTrue(binary.startsWith("task                  binary (classes 0 and 1)\n"), binary);
        assertTrue(binary.endsWith("true\\pred    0    1\n        0    1    1\n        1    1    2\n"), binary);

        String labels = MetricsReport.format(MetricsExamples.multilabel());
        assertTrue(labels.contains("accuracy (per label)  0.7500\nsubset accuracy       0.2500\n"), labels);
        assertTrue(labels.endsWith("label     tn     fp     fn     tp     F1\n"
                + "    0      1      1      0      2 0.8000\n"
                + "    1      2      0      1      1 0.6667\n"
                + "    2      2      0      1      1 0.6667\n"), labels);

        String one = MetricsReport.format(new RegressionMetrics(1));
        assertTrue(one.startsWith("task                  regression (1 output)\n"), one);
        assertTrue(!one.contains("per-output"), "no table for a single output: " + one);
    }

    @Test
    void summaryLinesGiveTheLossSixDecimalsAndHugeValuesScientific() {
        assertEquals("loss 0.500000  accuracy 0.5000", MetricsReport.summaryLine(MetricsExamples.multiclass()));
        assertEquals("loss 0.406250  rmse 0.6331  r2 0.6250", MetricsReport.summaryLine(MetricsExamples.regression()));
        RegressionMetrics huge = new RegressionMetrics(1);
        huge.add(new double[] {3e110}, new double[] {0}, 1, 4.5e220);
        assertEquals("loss 4.50e+220  rmse 3.00e+110  r2 0.0000", MetricsReport.summaryLine(huge));
    }

    @Test
    void anEpochLineShowsLossAccuracyValidationAndRates() {
        EpochStats stats = new EpochStats(3, 4.3e220, 0.887, MetricsExamples.multiclass(), 0.5, 0.0123, 4, 2.0,
                1000, 0.01, 0.1);
        String line = MetricsReport.epochLine(stats);
        assertTrue(line.startsWith("epoch    3  loss 4.30e+220  accuracy 0.8870  | val loss 0.500000  accuracy 0.5000"
                + "  | 2.000 s"), line);
        assertTrue(line.contains("  4 steps  2.0 steps/s  overhead 10 ms/step"), line);
        assertTrue(line.endsWith("  lr 0.500  |g| 0.0123"), line);
    }
}
